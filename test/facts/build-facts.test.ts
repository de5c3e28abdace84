import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../engine/bundle/read-bundle.js';
import { buildFacts } from '../../engine/facts/build-facts.js';
import { getFactDefinition } from '../../engine/facts/catalogue.js';

const INCIDENTS = 'examples/incidents';
const GOLDEN = 'test/facts/golden';
const bundles = readdirSync(INCIDENTS).filter((n) => n.startsWith('pub-'));

/**
 * Golden facts for every real captured bundle. Regenerate after a deliberate change with
 * `UPDATE_GOLDEN=1 npx vitest run test/facts/build-facts.test.ts` and review the diff.
 */
describe.each(bundles)('facts of %s', (name) => {
  it('match the golden file', async () => {
    const facts = buildFacts(await readBundle(join(INCIDENTS, name)));
    const snapshot = {
      values: Object.fromEntries(Object.entries(facts.values).sort(([a], [b]) => a.localeCompare(b))),
      missingSources: facts.missingSources,
      growingSites: facts.growingSites.slice(0, 3),
      warnings: facts.warnings.length,
    };
    const file = join(GOLDEN, `${name}.json`);
    // Never under CI: a missing golden there is a failure, not a file to write.
    if (process.env['UPDATE_GOLDEN'] || (!existsSync(file) && !process.env['CI']))
      writeFileSync(file, `${JSON.stringify(snapshot, null, 2)}\n`);
    expect(snapshot).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });
});

describe('fact values on the real captures', () => {
  const factsOf = async (name: string) => buildFacts(await readBundle(join(INCIDENTS, name))).values;

  it('every fact is catalogued and finite, and none are invented for absent sources', async () => {
    for (const name of bundles) {
      const values = await factsOf(name);
      for (const [id, v] of Object.entries(values)) {
        expect(getFactDefinition(id), id).toBeDefined();
        if (typeof v === 'number') expect(Number.isFinite(v), `${name} ${id}`).toBe(true);
      }
    }
    const python = await factsOf('pub-oom-no-runtime');
    expect(Object.keys(python).some((k) => k.startsWith('memstats.') || k.startsWith('gctrace.'))).toBe(
      false,
    );
  });

  it('pub-map-leak: the live heap grows, objects climb about 21k/s, the map site grew most', async () => {
    const v = await factsOf('pub-map-leak');
    expect(v['gctrace.cycles']).toBe(25);
    expect(v['gctrace.liveHeapBytes']).toBe(88 * 2 ** 20);
    expect(v['gctrace.goalBytes']).toBe(199 * 2 ** 20);
    expect(v['memstats.heapObjects']).toBe(1_263_815);
    expect(v['memstats.heapObjectsSlopePerSecond']).toBeGreaterThan(20_000);
    expect(v['memstats.heapObjectsSlopePerSecond']).toBeLessThan(23_000);
    expect(v['pprof.topGrowthSite']).toBe('main.(*seenRequests).remember');
    expect(v['pprof.inuseShare.map']).toBeGreaterThan(0.5);
    expect(v['cgroup.limitBytes']).toBe(256 * 2 ** 20);
    expect(v['cgroup.failcnt']).toBe(0);
  });

  it('pub-goroutine-leak: goroutines 24 → 2993, about 50/s', async () => {
    const v = await factsOf('pub-goroutine-leak');
    expect(v['memstats.goroutines']).toBe(2993);
    expect(v['memstats.goroutinesSlopePerSecond']).toBeGreaterThan(45);
    expect(v['memstats.goroutinesSlopePerSecond']).toBeLessThan(55);
    expect(v['memstats.goroutinesTrendR2']).toBeGreaterThan(0.99);
  });

  it('pub-gc-thrash: GC CPU above 50%, goal collapsed on the live heap, about 5.6 GCs/s', async () => {
    const v = await factsOf('pub-gc-thrash');
    expect(v['gctrace.cycles']).toBe(338);
    expect(v['gctrace.gcCpuPercent']).toBe(53);
    expect(v['gctrace.goalToLiveRatio']).toBeLessThan(1.1);
    expect(v['gctrace.gcPerSecond']).toBeCloseTo(5.6, 0);
  });

  it('pub-no-memlimit: NextGC 271 MiB over a 256 MiB limit; OOM kill seen by cgroup and dmesg', async () => {
    const v = await factsOf('pub-no-memlimit');
    expect(v['memstats.nextGcBytes'] as number).toBeCloseTo(271.0 * 2 ** 20, -5);
    expect(v['memstats.nextGcToLimitRatio'] as number).toBeGreaterThan(1);
    expect(v['cgroup.oomKills']).toBe(1);
    expect(v['kernel.oomKills']).toBe(1);
    expect(v['kernel.oomKilledProcess']).toBe('catalogd');
    expect(v['kernel.oomKilledAnonRssBytes']).toBe(259_696 * 1024);
  });

  it('pub-reclaim-pressure: refaults and PSI in the cgroup while host kswapd does not move', async () => {
    const v = await factsOf('pub-reclaim-pressure');
    expect(v['cgroup.workingsetRefaultFilePerSecond']).toBeGreaterThan(5000);
    expect(v['psi.cgroupSomeAvg10MaxPercent']).toBeCloseTo(17.24, 2);
    expect(v['vmstat.pgscanKswapdPerSecond']).toBe(0);
    expect(v['cgroup.fileToUsageRatio']).toBeGreaterThan(0.9);
  });

  it('pub-jvm-offheap: Metaspace is the category that grew; off-heap climbs in a line', async () => {
    const v = await factsOf('pub-jvm-offheap');
    expect(v['runtime.kind']).toBe('jvm');
    expect(v['jvm.topGrowingCategory']).toBe('Metaspace');
    expect(v['jvm.classes']).toBe(12_304);
    expect(v['jvm.offHeapTrendR2']).toBeGreaterThan(0.99);
    expect(v['jvm.threads']).toBe(22);
  });

  it('pub-fragmentation: HeapInuse about 5× HeapAlloc in steady state', async () => {
    const v = await factsOf('pub-fragmentation');
    expect(v['memstats.heapInuseToAllocRatio']).toBeGreaterThan(4.5);
    expect(v['memstats.heapInuseToAllocRatio']).toBeLessThan(5.6);
  });

  it('pub-reclaim-pressure: the reading after the process exited (page cache left, anon 0) is not the incident', async () => {
    // Its last cgroup reading has rss 0 and mapped_file 0 at 89.8 MiB of cache; the run sat at the limit.
    const facts = buildFacts(await readBundle(join(INCIDENTS, 'pub-reclaim-pressure')));
    expect(facts.values['cgroup.usageRatio']).toBeGreaterThan(0.99);
    expect(facts.series['cgroup.usageBytes']!.at(-1)!.t).toBeLessThan(1795636673327);
    expect(facts.series['cgroup.failcnt']!.at(-1)!.t).toBeLessThan(1795636673327);
    // At the limit the whole run: no growth to project.
    expect(facts.values['cgroup.secondsToLimit']).toBeUndefined();
  });

  it('time to the limit comes from the same fit as the rate it is stated with, before usage clamps', async () => {
    // pub-oom-no-runtime climbs about 6.25 MiB/s, then sits at the 160 MiB limit until the kill.
    const oom = await factsOf('pub-oom-no-runtime');
    expect(oom['cgroup.usageSlopeBytesPerSecond']).toBeGreaterThan(6 * 2 ** 20);
    expect(oom['cgroup.usageTrendR2']).toBeGreaterThan(0.99);
    expect(oom['cgroup.secondsToLimit']).toBeUndefined(); // not "about 32 ms"
    const map = await factsOf('pub-map-leak');
    const headroom = (map['cgroup.limitBytes'] as number) - (map['cgroup.usageBytes'] as number);
    expect(map['cgroup.secondsToLimit']).toBeCloseTo(
      headroom / (map['cgroup.usageSlopeBytesPerSecond'] as number),
      6,
    );
    expect(map['cgroup.usageGrowthWindowSeconds']).toBeGreaterThan(30);
  });
});
