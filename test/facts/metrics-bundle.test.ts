import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../engine/bundle/read-bundle.js';
import { buildFacts } from '../../engine/facts/build-facts.js';

/** client_golang's names for the MemStats fields (prometheus/client_golang: prometheus/go_collector.go). */
const GAUGES: Record<string, string> = {
  HeapAlloc: 'go_memstats_heap_alloc_bytes',
  HeapSys: 'go_memstats_heap_sys_bytes',
  HeapIdle: 'go_memstats_heap_idle_bytes',
  HeapInuse: 'go_memstats_heap_inuse_bytes',
  HeapReleased: 'go_memstats_heap_released_bytes',
  HeapObjects: 'go_memstats_heap_objects',
  StackInuse: 'go_memstats_stack_inuse_bytes',
  NextGC: 'go_memstats_next_gc_bytes',
  Sys: 'go_memstats_sys_bytes',
};

/**
 * A metrics.jsonl made from the real pub-map-leak expvar samples, written as client_golang would
 * expose the same MemStats: the facts must come out as they do from memstats.jsonl.
 */
function metricsFromExpvar(jsonl: string): string {
  return jsonl
    .trim()
    .split('\n')
    .map((line) => {
      const { ts, vars } = JSON.parse(line) as {
        ts: number;
        vars: { memstats: Record<string, number>; goroutines: number };
      };
      const text = [
        ...Object.entries(GAUGES).flatMap(([field, name]) => [
          `# TYPE ${name} gauge`,
          `${name} ${vars.memstats[field]}`,
        ]),
        '# TYPE go_goroutines gauge',
        `go_goroutines ${vars.goroutines}`,
        '# TYPE go_gc_duration_seconds summary',
        `go_gc_duration_seconds_sum ${vars.memstats['PauseTotalNs']! / 1e9}`,
        `go_gc_duration_seconds_count ${vars.memstats['NumGC']}`,
      ].join('\n');
      return JSON.stringify({ ts, text });
    })
    .join('\n');
}

describe('a bundle with metrics.jsonl instead of memstats.jsonl', () => {
  it('yields the same MemStats facts', async () => {
    const src = 'examples/incidents/pub-map-leak';
    const dir = mkdtempSync(join(tmpdir(), 'mt-metrics-'));
    writeFileSync(
      join(dir, 'metrics.jsonl'),
      metricsFromExpvar(readFileSync(join(src, 'memstats.jsonl'), 'utf8')),
    );
    writeFileSync(join(dir, 'meta.json'), readFileSync(join(src, 'meta.json')));
    const fromMetrics = buildFacts(await readBundle(dir)).values;
    const fromExpvar = buildFacts(await readBundle(src)).values;
    for (const id of [
      'memstats.heapInuseBytes',
      'memstats.heapObjects',
      'memstats.heapObjectsSlopePerSecond',
      'memstats.heapInuseSlopeBytesPerSecond',
      'memstats.heapInuseTrendR2',
      'memstats.goroutines',
      'memstats.gcPerSecond',
      'memstats.nextGcToLimitRatio',
      'memstats.heapInuseToAllocRatio',
    ]) {
      expect(fromMetrics[id], id).toBeDefined();
      expect(fromMetrics[id] as number, id).toBeCloseTo(fromExpvar[id] as number, 6);
    }
    expect(fromMetrics['runtime.kind']).toBe('go');
  });

  it('reads node_exporter scrapes into vmstat and PSI facts, and warns on bad lines and ambiguous series', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-metrics-'));
    const cadvisor = readFileSync('test/fixtures/prom-text/cadvisor-two-containers.prom', 'utf8');
    const node = readFileSync('test/fixtures/prom-text/node-exporter-vmstat-psi.prom', 'utf8');
    writeFileSync(
      join(dir, 'metrics.jsonl'),
      [
        JSON.stringify({ ts: 1_000, text: `${cadvisor}\n${node}` }),
        'not json',
        JSON.stringify({ ts: 2_000 }),
        JSON.stringify({ ts: 11_000, text: node }),
      ].join('\n'),
    );
    const facts = buildFacts(await readBundle(dir));
    const at = (line: number) => facts.warnings.filter((w) => w.file === 'metrics.jsonl' && w.line === line);
    expect(at(1).some((w) => /container_memory_usage_bytes match/.test(w.message))).toBe(true);
    expect(at(2)[0]?.message).toMatch(/not a JSON line/);
    expect(at(3)[0]?.message).toMatch(/expected \{"ts"/);
    expect(facts.values['vmstat.pgscanKswapdPerSecond']).toBe(0);
    expect(facts.values['psi.someStallRatio']).toBe(0);
    // Two containers and no filter: the cgroup stays unknown rather than guessed.
    expect(facts.values['cgroup.usageBytes']).toBeUndefined();
  });
});
