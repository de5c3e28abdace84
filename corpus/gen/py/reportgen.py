#!/usr/bin/env python3
"""reportgen: builds the monthly billing report. It streams invoice lines
from the billing database cursor and materialises all of them (a dict per
line) so that it can sort and group them by customer before rendering.

usage: python3 reportgen.py [--lines-per-sec 25000] [--month 2026-02]
"""
import argparse
import random
import sys
import time


def invoice_lines(rng, month):
    customers = ["cust-%05d" % i for i in range(20000)]
    skus = ["sku-%04d" % i for i in range(800)]
    n = 0
    while True:
        n += 1
        yield {
            "line_id": n,
            "customer": rng.choice(customers),
            "sku": rng.choice(skus),
            "qty": rng.randint(1, 40),
            "unit_price": round(rng.random() * 300, 2),
            "period": month,
            "description": "usage charge %s line %d" % (month, n),
        }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines-per-sec", type=int, default=25000)
    ap.add_argument("--month", default="2026-02")
    a = ap.parse_args()
    rng = random.Random()
    lines = []
    src = invoice_lines(rng, a.month)
    batch = max(1, a.lines_per_sec // 20)
    start = last = time.time()
    while True:
        for _ in range(batch):
            lines.append(next(src))
        target = start + len(lines) / a.lines_per_sec
        now = time.time()
        if target > now:
            time.sleep(target - now)
        if now - last >= 5:
            last = now
            print("reportgen: fetched %d invoice lines" % len(lines), flush=True)


if __name__ == "__main__":
    main()
