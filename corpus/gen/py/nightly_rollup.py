#!/usr/bin/env python3
"""nightly_rollup: a periodic aggregation job. Every --period seconds it
loads a batch of order records (--batch-rows rows, as tuples) into memory,
aggregates revenue per region and product family, ranks the top 100
orders by value, writes the rollup line to
stdout, drops the batch and sleeps until the next period.

usage: python3 nightly_rollup.py [--batch-rows 1000000] [--period 10]
"""
import argparse
import gc
import random
import time


def load_batch(rng, n, batch_no):
    regions = ["eu-west", "eu-central", "us-east", "us-west", "ap-south", "ap-northeast"]
    families = ["fam-%02d" % i for i in range(48)]
    rows = []
    for i in range(n):
        rows.append((batch_no * n + i, rng.choice(regions), rng.choice(families),
                     rng.randint(1, 12), rng.random() * 250.0, "ord-%d-%d" % (batch_no, i)))
    return rows


def aggregate(rows):
    out = {}
    for _, region, fam, qty, price, _ in rows:
        k = (region, fam)
        out[k] = out.get(k, 0.0) + qty * price
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch-rows", type=int, default=1000000)
    ap.add_argument("--period", type=float, default=10)
    a = ap.parse_args()
    rng = random.Random(3)
    batch_no = 0
    while True:
        t0 = time.time()
        rows = load_batch(rng, a.batch_rows, batch_no)
        agg = aggregate(rows)
        total = sum(agg.values())
        top = sorted(rows, key=lambda r: r[3] * r[4], reverse=True)[:100]
        print("rollup %d: %d rows, %d groups, revenue %.2f, top order %s, %.1fs" % (batch_no, len(rows), len(agg), total, top[0][5], time.time() - t0), flush=True)
        del rows, agg, top
        gc.collect()
        batch_no += 1
        d = t0 + a.period - time.time()
        if d > 0:
            time.sleep(d)


if __name__ == "__main__":
    main()
