#!/usr/bin/env python3
"""tilepack_server: serves map tiles out of tile pack files. Each request
reads one tile (4-16 KiB at a random tile offset of a random pack) with
os.pread through the page cache and checks its CRC; a pool of request
threads serves as fast as the backend allows.

usage: python3 tilepack_server.py --dir DIR [--threads 4] [--min-kb 4] [--max-kb 16]
       python3 tilepack_server.py --mkpacks --dir DIR [--packs 6] [--pack-mb 64]
       (--mkpacks writes the packs, fsyncs them and drops them from the page cache)
"""
import argparse
import os
import random
import sys
import threading
import time
import zlib

served = 0
served_bytes = 0
lock = threading.Lock()


def mkpacks(d, packs, pack_mb):
    os.makedirs(d, exist_ok=True)
    block = bytearray(os.urandom(1 << 20))
    for i in range(packs):
        path = os.path.join(d, "z14-%02d.pack" % i)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        for m in range(pack_mb):
            block[0:8] = (i * 100000 + m).to_bytes(8, "little")
            os.write(fd, block)
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
    print("wrote %d packs of %d MiB to %s" % (packs, pack_mb, d))


def worker(fds, sizes, min_b, max_b, seed):
    global served, served_bytes
    rng = random.Random(seed)
    n = nb = 0
    while True:
        i = rng.randrange(len(fds))
        ln = rng.randrange(min_b, max_b + 1, 512)
        off = rng.randrange(0, (sizes[i] - ln) // 4096) * 4096
        tile = os.pread(fds[i], ln, off)
        zlib.crc32(tile)
        n += 1
        nb += len(tile)
        if n == 200:
            with lock:
                served += n
                served_bytes += nb
            n = nb = 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--mkpacks", action="store_true")
    ap.add_argument("--packs", type=int, default=6)
    ap.add_argument("--pack-mb", type=int, default=64)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--min-kb", type=int, default=4)
    ap.add_argument("--max-kb", type=int, default=16)
    a = ap.parse_args()
    if a.mkpacks:
        mkpacks(a.dir, a.packs, a.pack_mb)
        return 0
    names = sorted(f for f in os.listdir(a.dir) if f.endswith(".pack"))
    fds = [os.open(os.path.join(a.dir, f), os.O_RDONLY) for f in names]
    sizes = [os.fstat(fd).st_size for fd in fds]
    print("serving %d packs (%d MiB) with %d threads" % (len(fds), sum(sizes) >> 20, a.threads), flush=True)
    for t in range(a.threads):
        threading.Thread(target=worker, args=(fds, sizes, a.min_kb * 1024, a.max_kb * 1024, 17 + t), daemon=True).start()
    t0 = time.monotonic()
    while True:
        time.sleep(5)
        with lock:
            s, sb = served, served_bytes
        print("tiles=%d read=%dMiB elapsed=%.0fs" % (s, sb >> 20, time.monotonic() - t0), flush=True)


if __name__ == "__main__":
    sys.exit(main())
