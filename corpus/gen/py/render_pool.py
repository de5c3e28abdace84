#!/usr/bin/env python3
"""render_pool: a pre-fork page-rendering server. The master process forks
--workers worker processes and re-forks any worker that exits. Each worker
renders pages (simulated request stream at --rps) and keeps rendered
fragments in its own in-process LRU cache bounded to --cache-mb MiB of
fragment bytes; workers share nothing after the fork.

usage: python3 render_pool.py [--workers 4] [--rps 400] [--cache-mb 56]
"""
import argparse
import collections
import os
import random
import signal
import sys
import time


def worker(idx, a):
    rng = random.Random(os.getpid())
    cache = collections.OrderedDict()
    cache_bytes = 0
    limit = a.cache_mb << 20
    served = hits = 0
    last = time.time()
    interval = 1.0 / a.rps
    nxt = time.time()
    while True:
        key = "/p/%d/%d" % (rng.randrange(1000000), rng.randrange(8))
        frag = cache.get(key)
        if frag is None:
            size = rng.randint(2048, 12288)
            frag = ("<div class='card'>%s</div>" % key) * 1
            frag = (frag * (size // len(frag) + 1))[:size].encode()
            cache[key] = frag
            cache_bytes += len(frag)
            while cache_bytes > limit:
                _, old = cache.popitem(last=False)
                cache_bytes -= len(old)
        else:
            cache.move_to_end(key)
            hits += 1
        served += 1
        nxt += interval
        d = nxt - time.time()
        if d > 0:
            time.sleep(d)
        if time.time() - last >= 10:
            last = time.time()
            print("worker %d pid %d: served=%d hits=%d cache=%d MiB" % (idx, os.getpid(), served, hits, cache_bytes >> 20), flush=True)


def spawn(idx, a):
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            worker(idx, a)
        finally:
            os._exit(0)
    return pid


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--rps", type=int, default=400)
    ap.add_argument("--cache-mb", type=int, default=56)
    a = ap.parse_args()
    workers = {}

    def shutdown(signum, frame):
        for pid in list(workers):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for _ in list(workers):
            try:
                os.wait()
            except ChildProcessError:
                break
        print("master: shut down", flush=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, shutdown)
    for i in range(a.workers):
        workers[spawn(i, a)] = i
    print("master %d: started %d workers %s" % (os.getpid(), a.workers, sorted(workers)), flush=True)
    while True:
        pid, status = os.wait()
        idx = workers.pop(pid, None)
        if idx is None:
            continue
        if os.WIFSIGNALED(status):
            print("master: worker %d (pid %d) died with signal %d; respawning" % (idx, pid, os.WTERMSIG(status)), flush=True)
        else:
            print("master: worker %d (pid %d) exited %d; respawning" % (idx, pid, os.WEXITSTATUS(status)), flush=True)
        time.sleep(0.5)
        workers[spawn(idx, a)] = idx


if __name__ == "__main__":
    main()
