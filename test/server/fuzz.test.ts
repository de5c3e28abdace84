import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amPayload, makeServer } from './server-fixture.js';

/** Deterministic PRNG (mulberry32) so a failure reproduces from the seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIRD = [
  '',
  '\u0000',
  '\ud800',
  '💥',
  '\u202e',
  'a'.repeat(20_000),
  '"',
  '\\',
  '__proto__',
  'constructor',
];
const VALUES: unknown[] = [null, true, 0, -1, 1e308, NaN, [], {}, '4', 4, ...WEIRD];

function mutate(r: () => number, v: unknown, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  if (depth > 4 || r() < 0.15) return pick(VALUES);
  if (Array.isArray(v)) return v.map((x) => mutate(r, x, depth + 1));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (r() < 0.1) continue;
      out[r() < 0.05 ? pick(WEIRD) : k] = r() < 0.3 ? mutate(r, x, depth + 1) : x;
    }
    return out;
  }
  return r() < 0.5 ? pick(VALUES) : v;
}

function hostileBody(r: () => number, i: number): string {
  switch (i % 8) {
    case 0: // random bytes
      return Buffer.from(Array.from({ length: Math.floor(r() * 512) }, () => Math.floor(r() * 256))).toString(
        'latin1',
      );
    case 1: // deep nesting
      return '['.repeat(1 + Math.floor(r() * 20_000)) + ']'.repeat(Math.floor(r() * 3));
    case 2:
      return `{"version":"4","alerts":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    case 3: // truncated valid payload
      return JSON.stringify(amPayload()).slice(0, Math.floor(r() * 700));
    case 4: // huge strings (near and over the 1 MiB cap)
      return JSON.stringify(
        amPayload({
          receiver: i % 40 === 4 ? 'ü'.repeat(600_000) : '\u{1F4A5}'.repeat(Math.floor(r() * 20_000)),
        }),
      );
    case 5: // wrong types anywhere
    case 6:
      return JSON.stringify(mutate(r, amPayload()));
    default: // generic webhook shapes
      return JSON.stringify(
        mutate(r, {
          alert: { name: 'x', labels: { a: 'b' } },
          facts: { a: 1 },
          bundle: { 'gctrace.log': 'x' },
        }),
      );
  }
}

describe('webhook fuzz', () => {
  let s: ReturnType<typeof makeServer>;
  beforeAll(() => {
    s = makeServer();
  });
  afterAll(async () => s.close());

  it('10,000 malformed or hostile bodies: no crash, no 5xx, every answer JSON', async () => {
    const r = rng(20261126);
    const counts: Record<number, number> = {};
    for (let i = 0; i < 10_000; i++) {
      const url = i % 3 === 0 ? '/webhook/generic' : '/webhook/alertmanager';
      const res = await s.app.inject({
        method: 'POST',
        url,
        payload: hostileBody(r, i),
        headers: { 'content-type': i % 97 === 0 ? 'application/json; charset=latin1' : 'application/json' },
      });
      counts[res.statusCode] = (counts[res.statusCode] ?? 0) + 1;
      if (res.statusCode >= 500) throw new Error(`5xx for body #${i}: ${res.body.slice(0, 200)}`);
      expect(() => res.json()).not.toThrow();
    }
    expect(Object.keys(counts).every((c) => Number(c) < 500)).toBe(true);
    expect((counts[400] ?? 0) + (counts[422] ?? 0)).toBeGreaterThan(5000);
    expect((await s.app.inject('/healthz')).statusCode).toBe(200);
  }, 60_000);
});
