#!/usr/bin/env python3
"""dedup_export: nightly customer-export deduplication step of an ETL job.
The driver (this process) reads customer rows from the upstream extract
(generated here at --rate-mb MiB/s of 120-260-byte CSV lines) and pipes them
into GNU `sort -u -S 50% -T <spill dir>` to deduplicate them before the
upload. `-S 50%` sizes sort's in-memory buffer as a share of the HOST's
physical memory (24 GiB here -> ~12 GiB), not of the container's memory
cgroup, so sort never spills a run to its temp dir: it keeps every line it has
read in its single main-memory buffer (anonymous memory) and the buffer grows
with the input until the cgroup OOM killer kills sort. The driver itself stays
small; it reports the broken pipe and exits with status 1.

usage: python3 dedup_export.py [--rate-mb 6] [--sort-mem 50%] [--spill-dir DIR]
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile
import time

FIRST = ["Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hugo", "Ida", "Jonas", "Klara", "Leon"]
LAST = ["Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann"]
CITIES = ["Berlin", "Hamburg", "Muenchen", "Koeln", "Frankfurt", "Stuttgart", "Leipzig", "Dresden"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate-mb", type=float, default=6.0)
    ap.add_argument("--sort-mem", default="50%")
    ap.add_argument("--spill-dir", default=None)
    a = ap.parse_args()
    spill = a.spill_dir or tempfile.mkdtemp(prefix="dedup-spill-")
    out = open(os.devnull, "wb")
    proc = subprocess.Popen(["sort", "-u", "-S", a.sort_mem, "-T", spill], stdin=subprocess.PIPE, stdout=out)
    print(f"started sort pid {proc.pid} (-S {a.sort_mem}, spill dir {spill})", flush=True)
    rng = random.Random(73)
    per_tick = a.rate_mb * (1 << 20) / 20  # 50 ms ticks
    sent = rows = 0
    last = time.time()
    try:
        while True:
            t0 = time.time()
            chunk = []
            size = 0
            while size < per_tick:
                line = "%d,%s,%s,%s %d,%s,%s@example.com,%s,%s\n" % (
                    rng.getrandbits(40), rng.choice(FIRST), rng.choice(LAST), rng.choice(CITIES), rng.randint(1000, 99999),
                    "x" * rng.randint(20, 120), "%x" % rng.getrandbits(48), "2026-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28)),
                    "consent=%d;tier=%d" % (rng.randint(0, 1), rng.randint(0, 4)))
                chunk.append(line)
                size += len(line)
            data = "".join(chunk).encode()
            proc.stdin.write(data)
            sent += len(data)
            rows += len(chunk)
            if time.time() - last > 5:
                last = time.time()
                print(f"rows={rows} sent_mb={sent / (1 << 20):.1f}", flush=True)
            dt = 0.05 - (time.time() - t0)
            if dt > 0:
                time.sleep(dt)
    except BrokenPipeError:
        rc = proc.wait()
        print(f"sort exited with {rc} after {rows} rows ({sent / (1 << 20):.1f} MiB): export failed", flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
