import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseExpvarJsonl } from '../../../engine/parse/memstats/parse-expvar.js';
import { promToMemStats } from '../../../engine/parse/memstats/prom-to-memstats.js';
import { parsePromText } from '../../../engine/parse/prom-text/parse-prom-text.js';
import type { ParseWarning } from '../../../engine/parse/types.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string): string => readFileSync(root + path, 'utf8');
const scrape = (file: string) => {
  const { value, warnings } = parsePromText(read(`test/fixtures/prom-text/${file}`));
  expect(warnings).toEqual([]);
  return value;
};
/** The fixtures carry the values of the last pub-map-leak sample (see test/fixtures/prom-text/README.md). */
const real = parseExpvarJsonl(read('examples/incidents/pub-map-leak/memstats.jsonl')).value.at(-1)!;

describe('promToMemStats', () => {
  it('Go 1.19 + client_golang 1.11: every go_memstats_* field, GCCPUFraction, GC summary, goroutines', () => {
    const sample = promToMemStats(scrape('go119-client-golang-1.11.prom'))!;
    // client_golang has no NumForcedGC; everything else is there
    const { LastGC, NumForcedGC: _f, ...exact } = real.stats;
    expect(sample.stats).toEqual({ ...exact, LastGC: expect.any(Number) });
    // float64 epoch seconds: LastGC is right to about a microsecond
    expect(Math.abs(sample.stats.LastGC! - LastGC!)).toBeLessThan(1000);
    expect(sample.stats.NumGC).toBe(25);
    expect(sample.stats.PauseTotalNs).toBe(real.stats.PauseTotalNs);
    expect(sample.goroutines).toBe(4);
    expect(sample.memoryLimitBytes).toBeUndefined();
    expect(sample.ts).toBeUndefined();
  });

  it('Go 1.21 + client_golang 1.20: no GCCPUFraction (dropped upstream), GOMEMLIMIT and GOGC present', () => {
    const sample = promToMemStats(scrape('go121-client-golang-1.20.prom'))!;
    expect(sample.stats.GCCPUFraction).toBeUndefined();
    expect(sample.stats.HeapObjects).toBe(1263815);
    expect(sample.stats.NextGC).toBe(185950928);
    expect(sample.memoryLimitBytes).toBe(192 * 2 ** 20);
    expect(sample.gogcPercent).toBe(100);
  });

  it('runtime/metrics names only: the MemStats identities rebuild the same sample', () => {
    const sample = promToMemStats(scrape('go121-runtime-metrics-only.prom'))!;
    const { LastGC: _l, PauseTotalNs: _p, GCCPUFraction: _g, ...derivable } = real.stats;
    expect(sample.stats).toEqual(derivable);
    expect(sample.goroutines).toBe(4);
    expect(sample.memoryLimitBytes).toBe(2 ** 63 - 1); // math.MaxInt64: no limit set
  });

  it('go_memstats_* wins over the runtime/metrics name for the same field', () => {
    const exp = parsePromText('go_memstats_next_gc_bytes 100\ngo_gc_heap_goal_bytes 200\n').value;
    expect(promToMemStats(exp)!.stats).toEqual({ NextGC: 100 });
  });

  it('a sum with a missing part stays absent rather than becoming a smaller number', () => {
    const exp = parsePromText(
      'go_memory_classes_heap_objects_bytes 10\ngo_memory_classes_heap_released_bytes 5\n',
    ).value;
    expect(promToMemStats(exp)!.stats).toEqual({ HeapAlloc: 10, Alloc: 10, HeapReleased: 5 });
  });

  it('no Go metrics: undefined; NaN readings count as absent', () => {
    expect(promToMemStats(scrape('node-exporter-vmstat-psi.prom'))).toBeUndefined();
    expect(promToMemStats(parsePromText('go_goroutines NaN\n').value)).toBeUndefined();
  });

  it('two targets in one scrape: absent with one summarised warning, or pick one with a filter', () => {
    const text =
      'go_goroutines{instance="a"} 4\ngo_goroutines{instance="b"} 9\ngo_memstats_heap_objects{instance="a"} 1\ngo_memstats_heap_objects{instance="b"} 2\n';
    const exp = parsePromText(text).value;
    const warnings: ParseWarning[] = [];
    expect(promToMemStats(exp, undefined, warnings)).toBeUndefined();
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/2 series of go_memstats_heap_objects match; they differ in instance/),
      '1 more metrics are ambiguous the same way; left absent',
    ]);
    expect(promToMemStats(exp, { instance: 'b' })).toEqual({ stats: { HeapObjects: 2 }, goroutines: 9 });
  });
});
