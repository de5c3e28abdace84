import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHeapDebugText } from '../../../engine/parse/memstats/parse-heap-text.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string): string => readFileSync(root + path, 'utf8');

describe('parseHeapDebugText on the captured bundles', () => {
  it('pub-map-leak: the trailer, the inuse / sys pairs, MaxRSS and the header totals', () => {
    const { value, warnings } = parseHeapDebugText(read('examples/incidents/pub-map-leak/heap.txt'));
    expect(warnings).toEqual([]);
    expect(value.stats.HeapObjects).toBe(1264643);
    expect(value.stats.HeapInuse).toBe(121962496);
    expect(value.stats.NumGC).toBe(25);
    expect(value.stats.NextGC).toBe(185950928);
    expect(value.stats.StackInuse).toBe(458752);
    expect(value.stats.StackSys).toBe(458752);
    expect(value.stats.MSpanInuse).toBe(1426464);
    expect(value.stats.MSpanSys).toBe(2082816);
    expect(value.stats.MCacheInuse).toBe(2400);
    expect(value.stats.MCacheSys).toBe(15600);
    expect(value.stats.GCCPUFraction).toBeCloseTo(0.00292455, 8);
    expect(value.stats.PauseTotalNs).toBeUndefined(); // not printed in the trailer
    expect(value.maxRssBytes).toBe(195239936);
    expect(value.ts).toBeUndefined();
    expect(value.profile).toEqual({
      inuseObjects: 92,
      inuseBytes: 60167456,
      allocObjects: 579,
      allocBytes: 82055088,
      memProfileRate: 524288,
    });
  });

  it('pub-goroutine-leak: 7.8 MiB of stacks, 12 GCs', () => {
    const { value, warnings } = parseHeapDebugText(read('examples/incidents/pub-goroutine-leak/heap.txt'));
    expect(warnings).toEqual([]);
    expect(value.stats.StackInuse).toBe(8126464);
    expect(value.stats.NumGC).toBe(12);
  });

  it('every Go bundle yields the 25 trailer fields without warnings', () => {
    for (const name of [
      'pub-fragmentation',
      'pub-gc-thrash',
      'pub-healthy-go',
      'pub-no-memlimit',
      'pub-reclaim-pressure',
      'pub-slice-overcap',
    ]) {
      const { value, warnings } = parseHeapDebugText(read(`examples/incidents/${name}/heap.txt`));
      expect(warnings, name).toEqual([]);
      expect(Object.keys(value.stats), name).toHaveLength(25);
      expect(value.profile?.memProfileRate, name).toBe(524288);
    }
  });
});

describe('parseHeapDebugText on broken input', () => {
  it('a text cut in the middle of the trailer keeps what was read and distrusts the cut line', () => {
    const { value, warnings } = parseHeapDebugText(read('test/fixtures/memstats/heap-truncated-trailer.txt'));
    expect(value.stats.HeapObjects).toBe(1264643);
    expect(value.stats.OtherSys).toBe(800170);
    expect(value.stats.NextGC).toBeUndefined(); // `# NextGC = 1859` was cut mid-number
    expect(value.stats.NumGC).toBeUndefined();
    expect(warnings).toEqual([
      { line: 177, message: expect.stringMatching(/no newline/) },
      { message: expect.stringMatching(/incomplete.*NextGC, NumGC, GCCPUFraction/) },
    ]);
  });

  it('cut anywhere inside the trailer: never throws, never a wrong number', () => {
    const text = read('examples/incidents/pub-slice-overcap/heap.txt');
    const full = parseHeapDebugText(text).value.stats;
    const start = text.indexOf('# runtime.MemStats');
    for (let cut = start; cut < text.length; cut += 7) {
      const { value } = parseHeapDebugText(text.slice(0, cut));
      for (const [key, v] of Object.entries(value.stats))
        expect(v, `${key} at ${cut}`).toBe(full[key as keyof typeof full]);
    }
  });

  it('no trailer: header totals only, with a warning', () => {
    const { value, warnings } = parseHeapDebugText(read('test/fixtures/memstats/heap-no-trailer.txt'));
    expect(value.stats).toEqual({});
    expect(value.profile?.inuseObjects).toBe(92);
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/no `# runtime.MemStats` trailer/),
    ]);
  });

  it('garbled trailer lines and values are skipped with their line numbers', () => {
    const text = [
      'heap profile: 1: 2 [3: 4] @ heap/1048576',
      '',
      '# runtime.MemStats',
      '# Alloc = 100',
      '# HeapInuse = lots',
      'garbage here',
      '# Stack = 5',
      '# HeapObjects = -4',
      '# NewGoField = 12',
      '# NextGC = 300',
      '# NumGC = 2',
      '# GCCPUFraction = 1.5e-05',
      '# Alloc2 = 9',
      '',
    ].join('\r\n');
    const { value, warnings } = parseHeapDebugText(text);
    expect(value.stats).toEqual({ Alloc: 100, NextGC: 300, NumGC: 2, GCCPUFraction: 1.5e-5 });
    expect(warnings).toEqual([
      { line: 5, message: expect.stringMatching(/HeapInuse is the string "lots"/) },
      { line: 6, message: expect.stringMatching(/not a `# Key = value` line/) },
      { line: 7, message: expect.stringMatching(/Stack is not `inuse \/ sys`/) },
      { line: 8, message: expect.stringMatching(/HeapObjects is -4/) },
      { message: expect.stringMatching(/missing HeapInuse, HeapObjects/) },
    ]);
  });

  it('empty text and a malformed header are reported', () => {
    expect(parseHeapDebugText('').warnings).toEqual([{ message: 'empty heap profile text' }]);
    const r = parseHeapDebugText('heap profile: x\n');
    expect(r.value.profile).toBeUndefined();
    expect(r.warnings[0]).toEqual({ line: 1, message: expect.stringMatching(/malformed/) });
  });
});
