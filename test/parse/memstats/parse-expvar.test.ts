import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  MEMSTATS_MAX_SAMPLES,
  parseExpvarBody,
  parseExpvarChunks,
  parseExpvarJsonl,
} from '../../../engine/parse/memstats/parse-expvar.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string): string => readFileSync(root + path, 'utf8');
const bundle = (name: string) => parseExpvarJsonl(read(`examples/incidents/${name}/memstats.jsonl`));
const MiB = 2 ** 20;

describe('parseExpvarJsonl on the captured bundles', () => {
  it('pub-map-leak: HeapObjects 2.8k → 1.26M, HeapInuse 1.2 → 114.9 MiB, peak 167.7 MiB, 4 goroutines', () => {
    const { value, warnings } = bundle('pub-map-leak');
    expect(warnings).toEqual([]);
    expect(value).toHaveLength(61);
    const first = value[0]!;
    const last = value.at(-1)!;
    expect(first.stats.HeapObjects).toBe(2807);
    expect(last.stats.HeapObjects).toBe(1263815);
    expect((first.stats.HeapInuse ?? 0) / MiB).toBeCloseTo(1.2, 1);
    expect((last.stats.HeapInuse ?? 0) / MiB).toBeCloseTo(114.9, 1);
    expect(Math.max(...value.map((s) => s.stats.HeapInuse ?? 0)) / MiB).toBeCloseTo(167.7, 1);
    expect(value.every((s) => s.goroutines === 4)).toBe(true);
    expect(last.stats.NumGC).toBe(25);
    expect(last.cmdline?.[0]).toBe('/usr/local/bin/dedupd');
    expect(first.ts).toBe(1795636222393);
  });

  it('pub-goroutine-leak: goroutines 24 → 2993, StackInuse 0.4 → 7.8 MiB', () => {
    const { value } = bundle('pub-goroutine-leak');
    expect(value[0]!.goroutines).toBe(24);
    expect(value.at(-1)!.goroutines).toBe(2993);
    expect((value[0]!.stats.StackInuse ?? 0) / MiB).toBeCloseTo(0.4, 1);
    expect((value.at(-1)!.stats.StackInuse ?? 0) / MiB).toBeCloseTo(7.8, 1);
  });

  it('pub-no-memlimit: 25 samples, NextGC 271.0 MiB at the end, HeapAlloc 239.9 MiB', () => {
    const { value } = bundle('pub-no-memlimit');
    expect(value).toHaveLength(25);
    expect((value.at(-1)!.stats.NextGC ?? 0) / MiB).toBeCloseTo(271.0, 1);
    expect((value.at(-1)!.stats.HeapAlloc ?? 0) / MiB).toBeCloseTo(239.9, 1);
  });

  it('pub-gc-thrash: GCCPUFraction 0.53–0.55 from t = 10 s', () => {
    const { value } = bundle('pub-gc-thrash');
    const start = value[0]!.ts!;
    const late = value.filter((s) => s.ts! - start >= 10_000).map((s) => s.stats.GCCPUFraction ?? 0);
    expect(Math.min(...late)).toBeGreaterThanOrEqual(0.53);
    expect(Math.max(...late)).toBeLessThanOrEqual(0.555);
  });

  it('every Go bundle parses without warnings, sorted, with all 26 fields', () => {
    for (const name of ['pub-fragmentation', 'pub-healthy-go', 'pub-reclaim-pressure', 'pub-slice-overcap']) {
      const { value, warnings } = bundle(name);
      expect(warnings, name).toEqual([]);
      expect(Object.keys(value[0]!.stats), name).toHaveLength(26);
      expect(
        value.every((s, i) => i === 0 || s.ts! > value[i - 1]!.ts!),
        name,
      ).toBe(true);
    }
  });
});

describe('parseExpvarJsonl on broken input', () => {
  const { value, warnings } = parseExpvarJsonl(read('test/fixtures/memstats/broken.jsonl'));
  const at = (line: number) => warnings.filter((w) => w.line === line).map((w) => w.message);

  it('keeps the good lines, sorted by ts, and warns that they were out of order', () => {
    expect(value.map((s) => s.ts)).toEqual([1795636222393, 1795636224394, 1795636226394, 1795636227393]);
    expect(at(2).join()).toMatch(/out of order/);
  });

  it('skips the cut line, the string ts and the non-object line, naming each', () => {
    expect(at(3).join()).toMatch(/not valid JSON/);
    expect(at(5).join()).toMatch(/ts is the string "1795636225393"/);
    expect(at(7).join()).toMatch(/not a JSON object/);
  });

  it('drops bad fields but keeps the rest of their line', () => {
    const sample = value.find((s) => s.ts === 1795636226394)!;
    expect(sample.stats.HeapAlloc).toBeUndefined();
    expect(sample.stats.HeapInuse).toBeUndefined();
    expect(sample.goroutines).toBeUndefined();
    expect(sample.cmdline).toBeUndefined();
    expect(sample.stats.HeapObjects).toBeGreaterThan(0);
    expect(at(6)).toEqual([
      expect.stringMatching(/memstats\.HeapAlloc is the string "\d+"/),
      expect.stringMatching(/memstats\.HeapInuse is -1/),
      expect.stringMatching(/goroutines is -3/),
      expect.stringMatching(/cmdline is not an array/),
    ]);
  });

  it('reports a null memstats and keeps the sample with its goroutines', () => {
    const sample = value.find((s) => s.ts === 1795636227393)!;
    expect(sample.stats).toEqual({});
    expect(sample.goroutines).toBe(4);
    expect(at(8).join()).toMatch(/memstats is null/);
  });

  it('empty and whitespace-only input give no samples and no warnings', () => {
    expect(parseExpvarJsonl('')).toEqual({ value: [], warnings: [] });
    expect(parseExpvarJsonl('\n  \n\r\n')).toEqual({ value: [], warnings: [] });
  });

  it('accepts CRLF line endings', () => {
    const text =
      '{"ts":1,"vars":{"memstats":{"HeapAlloc":10}}}\r\n{"ts":2,"vars":{"memstats":{"HeapAlloc":20}}}\r\n';
    const r = parseExpvarJsonl(text);
    expect(r.warnings).toEqual([]);
    expect(r.value.map((s) => s.stats.HeapAlloc)).toEqual([10, 20]);
  });
});

describe('parseExpvarBody', () => {
  it('reads one /debug/vars body with the fetch time', () => {
    const line = read('examples/incidents/pub-goroutine-leak/memstats.jsonl').split('\n').at(-2)!;
    const body = JSON.stringify((JSON.parse(line) as { vars: unknown }).vars, null, 2);
    const { value, warnings } = parseExpvarBody(body, 1700000000000);
    expect(warnings).toEqual([]);
    expect(value.ts).toBe(1700000000000);
    expect(value.goroutines).toBe(2993);
    expect(value.stats.NumGC).toBe(12);
    expect(value.stats.PauseTotalNs).toBeGreaterThan(0);
  });

  it('ignores user-published vars and arrays it does not read (PauseNs, BySize)', () => {
    const body =
      '{"requests": 17, "memstats": {"HeapAlloc": 5, "PauseNs": [1, 2], "BySize": [], "EnableGC": true}}';
    expect(parseExpvarBody(body)).toEqual({ value: { stats: { HeapAlloc: 5 } }, warnings: [] });
  });

  it('invalid JSON: empty sample, warning with the line V8 points at', () => {
    const { value, warnings } = parseExpvarBody('{\n"memstats": {\n"HeapAlloc": 5,,\n}}', 42);
    expect(value).toEqual({ ts: 42, stats: {} });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/not valid JSON/);
    expect(warnings[0]!.line).toBe(3);
  });

  it('a body that is not an object is reported', () => {
    const { value, warnings } = parseExpvarBody('"hello"');
    expect(value.stats).toEqual({});
    expect(warnings[0]!.message).toMatch(/vars is the string "hello"/);
  });
});

describe('memstats.jsonl streamed in chunks', () => {
  const line = (i: number) =>
    JSON.stringify({ ts: 1_700_000_000_000 + i * 1000, vars: { memstats: { HeapAlloc: i, NumGC: i } } }) +
    '\n';

  it('reads lines split across chunks (and multi-byte characters split across them) like the whole text', async () => {
    const text = line(0) + line(1).replace('}}', ',"x":"é"}}') + line(2);
    const bytes = new TextEncoder().encode(text);
    const chunks = [...Array(bytes.length).keys()].map((i) => bytes.subarray(i, i + 1)); // one byte each
    const streamed = await parseExpvarChunks(chunks);
    expect(streamed.value).toEqual(parseExpvarJsonl(text).value);
    expect(streamed.value.map((m) => m.stats.HeapAlloc)).toEqual([0, 1, 2]);
    expect(streamed.bytes).toBe(bytes.length);
  });

  it('keeps at most MEMSTATS_MAX_SAMPLES samples, evenly spaced, first and last included', async () => {
    const n = 3 * MEMSTATS_MAX_SAMPLES + 5;
    function* chunks() {
      for (let i = 0; i < n; i += 1000) {
        let text = '';
        for (let j = i; j < Math.min(n, i + 1000); j++) text += line(j);
        yield new TextEncoder().encode(text);
      }
    }
    const { value, warnings } = await parseExpvarChunks(chunks());
    expect(value.length).toBeLessThanOrEqual(MEMSTATS_MAX_SAMPLES + 1);
    expect(value.length).toBeGreaterThan(MEMSTATS_MAX_SAMPLES / 4);
    expect(value[0]!.stats.HeapAlloc).toBe(0);
    expect(value.at(-1)!.stats.HeapAlloc).toBe(n - 1);
    const steps = new Set(
      value.slice(0, -1).map((m, i) => value[i + 1]!.stats.HeapAlloc! - m.stats.HeapAlloc!),
    );
    expect(steps.size).toBeLessThanOrEqual(2); // one stride (and the last step to the final sample)
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/kept every 4th \(and the last\)/),
    ]);
  });

  it('lists the first 100 bad lines and counts the rest', async () => {
    const text = 'nope\n'.repeat(250) + line(1);
    const { value, warnings } = parseExpvarJsonl(text);
    expect(value).toHaveLength(1);
    expect(warnings).toHaveLength(101);
    expect(warnings.at(-1)!.message).toBe('150 more line problems not listed');
  });
});

/**
 * The streamed parse keeps at most MEMSTATS_MAX_SAMPLES samples, and a line is at most 1 MiB; but a
 * sample kept the line's whole `cmdline`, so 4096 lines of ~1 MiB cmdline each (a >4 GiB
 * memstats.jsonl in a directory bundle, which is not size-capped since it streams) held ~4 GiB.
 * What one sample retains must be bounded whatever its line holds.
 */
describe('memstats.jsonl: what a sample retains is bounded', () => {
  const line = (ts: number, cmdline: string[]) =>
    `${JSON.stringify({ ts, vars: { cmdline, memstats: { HeapAlloc: 1 } } })}\n`;
  const retained = (c: string[] | undefined) =>
    c === undefined ? 0 : c.length * 8 + c.reduce((n, a) => n + a.length, 0);

  it('drops a huge cmdline (long arguments or very many) with a warning, keeps a normal one', async () => {
    const enc = new TextEncoder();
    const lines = [
      line(1, ['/usr/local/bin/dedupd', '-addr=:6060']),
      line(2, ['/bin/x', 'a'.repeat(900_000)]),
      line(
        3,
        Array.from({ length: 100_000 }, () => ''),
      ),
      line(4, ['/usr/local/bin/dedupd', '-addr=:6060']),
    ];
    const r = await parseExpvarChunks(lines.map((l) => enc.encode(l)));
    expect(r.value.map((s) => s.stats.HeapAlloc)).toEqual([1, 1, 1, 1]);
    for (const s of r.value) expect(retained(s.cmdline), `ts ${s.ts}`).toBeLessThanOrEqual(128 * 1024);
    expect(r.value[0]!.cmdline).toEqual(['/usr/local/bin/dedupd', '-addr=:6060']);
    expect(r.value[3]!.cmdline).toEqual(['/usr/local/bin/dedupd', '-addr=:6060']);
    expect(r.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/cmdline .*dropped/),
      expect.stringMatching(/cmdline .*dropped/),
    ]);
  });
});
