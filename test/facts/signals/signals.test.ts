import { describe, expect, it } from 'vitest';
import { readBundle } from '../../../engine/bundle/read-bundle.js';
import { degradedVariants } from '../../../engine/eval/degrade.js';
import { buildFacts } from '../../../engine/facts/build-facts.js';
import { postGcHeapAlloc } from '../../../engine/facts/signals/live-heap.js';

const variant = async (bundle: string, name: string) =>
  buildFacts(degradedVariants(await readBundle(bundle)).find((v) => v.name === name)!.bundle).values;

describe('cross-source signals', () => {
  it('read the live heap from gctrace, else MemStats, else heap profiles, with the same meaning', async () => {
    const full = await variant('examples/incidents/pub-map-leak', 'full');
    const noGctrace = await variant('examples/incidents/pub-map-leak', 'no-gctrace');
    expect(full['signal.liveHeapSource']).toBe('gctrace');
    expect(noGctrace['signal.liveHeapSource']).toBe('memstats');
    for (const v of [full, noGctrace]) {
      expect(v['signal.liveHeapSlopeBytesPerSecond']).toBeGreaterThan(1.5 * 2 ** 20);
      expect(v['signal.liveHeapSlopeBytesPerSecond']).toBeLessThan(2.2 * 2 ** 20);
    }
  });

  it('use no live-heap view that misses most of the window (every GC in the first second)', async () => {
    const v = await variant('examples/incidents/pub-no-memlimit', 'full');
    expect(v['signal.liveHeapSource']).toBeUndefined();
    // …while the next GC goal is still estimated from those cycles: 1.06 of the limit, as NextGC says.
    expect(v['gctrace.nextGoalToLimitRatio']).toBeCloseTo(v['memstats.nextGcToLimitRatio'] as number, 1);
  });

  it('tell a cache that levelled off from a leak by the later half of the window', async () => {
    const plateau = await variant('corpus/tuning/a-avatard.tar.gz', 'full');
    const leak = await variant('corpus/tuning/a-ssogw.tar.gz', 'full');
    expect(plateau['signal.liveHeapLateToOverallSlopeRatio']).toBeLessThan(0.3);
    expect(leak['signal.liveHeapLateToOverallSlopeRatio']).toBeGreaterThan(0.8);
  });

  it('count goroutines from profiles or gctrace stacks when MemStats are missing', async () => {
    const v = await variant('corpus/tuning/b1-devlinkd.tar.gz', 'no-memstats');
    expect(v['signal.goroutinesGrowth']).toBeGreaterThan(500); // profiles every 15 s: 1179 at the end
    const stacks = await variant('examples/incidents/pub-goroutine-leak', 'no-memstats');
    expect(stacks['signal.goroutinesWindowSeconds']).toBeUndefined();
    expect(stacks['signal.stacksGrowthBytes']).toBeGreaterThanOrEqual(2 * 2 ** 20);
  });

  it('see native memory the Go runtime and NMT do not account for', async () => {
    const cgo = await variant('corpus/tuning/b2-thumbd.tar.gz', 'full');
    expect(cgo['signal.outsideGoRuntimeGrowthBytes']).toBeGreaterThan(100 * 2 ** 20);
    const healthy = await variant('examples/incidents/pub-healthy-go', 'full');
    expect(Math.abs(healthy['signal.outsideGoRuntimeGrowthBytes'] as number)).toBeLessThan(8 * 2 ** 20);
  });

  it('see Go heap the program reserved and never wrote (capacity that is not resident)', async () => {
    // strings.Builder.Grow(8192) per cached 150–450-byte snippet: fresh spans, never written past the text.
    const snippets = await variant('corpus/fresh3/h-snippetd.tar.gz', 'full');
    expect(snippets['signal.heapUnwrittenShare']).toBeGreaterThan(0.1);
    expect(snippets['signal.heapUnwrittenBytes']).toBeGreaterThan(16 * 2 ** 20);
    // A map's entries are written when inserted: the process holds more than its heap.
    const map = await variant('examples/incidents/pub-map-leak', 'full');
    expect(map['signal.heapUnwrittenShare']).toBeLessThan(0);
    // Without MemStats there is no HeapAlloc to compare.
    const noMemstats = await variant('corpus/fresh3/h-snippetd.tar.gz', 'no-memstats');
    expect(noMemstats['signal.heapUnwrittenShare']).toBeUndefined();
  });

  it('say whether frames or object sizes named the kind of the top growing site', async () => {
    // 80 KiB render buffers grown by bytes.Buffer: the frame bytes.growSlice names them.
    const buffers = await variant('corpus/fresh4/i-respaudit.tar.gz', 'full');
    expect([buffers['pprof.topGrowthKind'], buffers['pprof.topGrowthKindSource']]).toEqual([
      'slice',
      'frames',
    ]);
    // 256 KiB read buffers made by make() in user code: only their size says slice.
    const reads = await variant('examples/incidents/pub-slice-overcap', 'full');
    expect([reads['pprof.topGrowthKind'], reads['pprof.topGrowthKindSource']]).toEqual(['slice', 'size']);
  });

  it('approximate the post-GC heap from MemStats: the lowest HeapAlloc between two GCs', () => {
    const s = (ts: number, HeapAlloc: number, NumGC: number) => ({ ts, stats: { HeapAlloc, NumGC } });
    expect(postGcHeapAlloc([s(1, 50, 1), s(2, 40, 1), s(3, 90, 1), s(4, 60, 2), s(5, 80, 2)])).toEqual([
      { t: 2, v: 40 },
      { t: 4, v: 60 },
    ]);
  });
});
