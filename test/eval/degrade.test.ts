import { describe, expect, it } from 'vitest';
import { readBundle } from '../../engine/bundle/read-bundle.js';
import { degradedVariants, firstHalf } from '../../engine/eval/degrade.js';

describe('degraded variants', () => {
  it('drops each present source in turn, MemStats from heap.txt too', async () => {
    const bundle = await readBundle('examples/incidents/pub-map-leak');
    const names = degradedVariants(bundle).map((v) => v.name);
    expect(names).toEqual([
      'full',
      'no-memstats',
      'no-gctrace',
      'no-pprof',
      'no-cgroup',
      'no-proc',
      'first-half',
    ]);
    const noMemstats = degradedVariants(bundle).find((v) => v.name === 'no-memstats')!.bundle;
    expect(noMemstats.memstats).toBeUndefined();
    expect(noMemstats.heapText).toBeUndefined();
    expect(noMemstats.heapProfile).toBeDefined();
    // The original is untouched.
    expect(bundle.memstats).toBeDefined();
  });

  it('cuts every series at the midpoint of the window', async () => {
    const bundle = await readBundle('examples/incidents/pub-map-leak');
    const half = firstHalf(bundle)!;
    const mid = (bundle.meta!.startUnixMs! + bundle.meta!.endUnixMs!) / 2;
    expect(half.meta!.endUnixMs).toBe(Math.round(mid));
    expect(half.cgroup.every((c) => c.ts <= mid)).toBe(true);
    expect(half.cgroup.length).toBeLessThan(bundle.cgroup.length);
    expect(half.profiles.every((p) => p.ts <= mid)).toBe(true);
    expect(half.heapProfile).toBe(half.profiles.at(-1)!.value);
    const gc = half.gctrace!.value;
    expect(gc.cycles.length).toBeGreaterThan(0);
    expect(gc.cycles.length).toBeLessThan(bundle.gctrace!.value.cycles.length);
    expect(gc.cycleCount).toBe(gc.cycles.length);
    const lastGcAt = Math.max(...gc.cycles.map((c) => c.atSeconds), ...gc.series!.atSeconds);
    expect(lastGcAt).toBeLessThanOrEqual((mid - bundle.meta!.startUnixMs!) / 1000);
    const tsList = half.memstats!.value.map((m) => m.ts!);
    expect(Math.max(...tsList)).toBeLessThanOrEqual(mid);
    expect(tsList.length).toBeLessThan(bundle.memstats!.value.length);
    expect(half.dmesg).toBeUndefined();
  });
});
