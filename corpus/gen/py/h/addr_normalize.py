#!/usr/bin/env python3
"""addr_normalize: address normalization stage of a geocoding batch job.
Reads raw address records from an upstream feed (generated here at --rate
records/s) and normalizes each with normalize(), which is decorated with
functools.lru_cache(maxsize=None) "because the same addresses repeat". In
this feed almost every address is unique (house numbers, apartment and
c/o lines), so the unbounded memo cache only grows: every call adds the raw
string key and a result dict of tokens, components and a canonical form.
The process grows until the cgroup OOM killer kills it.

usage: python3 addr_normalize.py [--rate 6000] [--repeat-ratio 0.05]
"""
import argparse
import functools
import random
import sys
import time

STREETS = ["Hauptstrasse", "Bahnhofstrasse", "Dorfstrasse", "Schulstrasse", "Gartenweg", "Lindenallee",
           "Rue de la Paix", "Via Roma", "Calle Mayor", "High Street", "Station Road", "Main Street"]
CITIES = ["Berlin", "Hamburg", "Muenchen", "Koeln", "Paris", "Lyon", "Milano", "Madrid", "London", "Leeds"]
ABBREV = {"strasse": "str", "street": "st", "road": "rd", "allee": "al", "weg": "wg"}


@functools.lru_cache(maxsize=None)
def normalize(raw):
    parts = [p.strip() for p in raw.split(",")]
    tokens = []
    for p in parts:
        for w in p.lower().replace(".", " ").split():
            for long, short in ABBREV.items():
                if w.endswith(long):
                    w = w[: -len(long)] + short
            tokens.append(w)
    comp = {
        "street": parts[0],
        "unit": parts[1] if len(parts) > 3 else "",
        "postcode": parts[-2].split()[0] if len(parts) >= 3 else "",
        "city": parts[-2].split()[-1] if len(parts) >= 3 else "",
        "country": parts[-1],
    }
    return {"tokens": tokens, "components": comp, "canonical": " ".join(tokens).upper(), "hash": hash(raw)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=int, default=6000)
    ap.add_argument("--repeat-ratio", type=float, default=0.05)
    a = ap.parse_args()
    rng = random.Random(23)
    recent = []
    done = 0
    start = last = time.monotonic()
    tick = 0.01
    per_tick = a.rate * tick
    acc = 0.0
    nxt = start
    while True:
        nxt += tick
        acc += per_tick
        while acc >= 1:
            acc -= 1
            if recent and rng.random() < a.repeat_ratio:
                raw = rng.choice(recent)
            else:
                raw = "%s %d, Apt %d, c/o %s %06d, %05d %s, %s" % (
                    rng.choice(STREETS), rng.randint(1, 400), rng.randint(1, 90), "Family", rng.randint(0, 999999),
                    rng.randint(10000, 99999), rng.choice(CITIES), rng.choice(["DE", "FR", "IT", "ES", "GB"]))
                if len(recent) < 2000:
                    recent.append(raw)
                else:
                    recent[rng.randrange(2000)] = raw
            r = normalize(raw)
            done += 1 if r["canonical"] else 0
        now = time.monotonic()
        if now - last >= 5:
            last = now
            ci = normalize.cache_info()
            print("t=%.0fs normalized=%d cache_entries=%d hits=%d rate=%.0f/s" % (now - start, done, ci.currsize, ci.hits, done / (now - start)), flush=True)
        d = nxt - time.monotonic()
        if d > 0:
            time.sleep(d)


if __name__ == "__main__":
    sys.exit(main())
