import type { FactSetBuilder } from '../fact-set-builder.js';
import { linearFit, nearestWithin } from '../series.js';
import type { SeriesPoint } from '../types.js';
import { anonSeries, steadyOrAll, type SignalInputs } from './inputs.js';

/**
 * JVM memory NMT does not see, and where a JVM's growth goes. Reads the jvm.* facts of the NMT
 * summaries and the GC log, so it runs after them.
 */
export function deriveJvmGrowth(inputs: SignalInputs, out: FactSetBuilder): void {
  const values = out.peek();
  // Anonymous RSS minus NMT's committed total: a lower bound of what NMT does not track (glibc
  // arenas, zlib, JNI), because resident tracked memory never exceeds what NMT says is committed.
  // Its growth alone can be pages of committed memory being touched; its level above zero cannot.
  // The process's anonymous memory, else the cgroup's (one JVM per container).
  const anonPoints = anonSeries(inputs);
  const usable = inputs.nmts.filter((n) => n.unusable === undefined && n.ts !== undefined);
  const untracked: SeriesPoint[] = [];
  for (const n of usable) {
    const anon = nearestWithin(anonPoints, n.ts!, 3000, (p) => p.t)?.v;
    if (anon === undefined) continue;
    untracked.push({ t: n.ts!, v: anon - n.total.committedBytes });
  }
  const steady = steadyOrAll(untracked);
  const fit = linearFit(steady);
  if (fit !== undefined) {
    out.put('signal.jvmUntrackedBytes', steady.at(-1)!.v);
    out.put('signal.jvmUntrackedSlopeBytesPerSecond', fit.slopePerSecond);
    out.put('signal.jvmUntrackedTrendR2', fit.r2);
    out.put('signal.jvmUntrackedGrowthBytes', steady.at(-1)!.v - steady[0]!.v);
  }
  // Where a JVM's growth goes: the live set on the heap (after-GC occupancy), or outside it — what
  // NMT tracks off the heap, and what it does not track at all (the untracked gap above).
  const heapSlope = values['jvm.heapAfterGcSlopeBytesPerSecond'];
  const offSlope = values['jvm.offHeapSlopeBytesPerSecond'];
  const untrackedSlope = fit?.slopePerSecond;
  if (typeof heapSlope === 'number' && (typeof offSlope === 'number' || untrackedSlope !== undefined)) {
    const h = Math.max(0, heapSlope);
    const o = Math.max(0, typeof offSlope === 'number' ? offSlope : 0) + Math.max(0, untrackedSlope ?? 0);
    if (h + o > 0) out.put('signal.jvmHeapShareOfGrowth', h / (h + o));
    return;
  }
  // Without NMT: the live set's growth against all anonymous growth. Anonymous memory holds the
  // committed heap and everything off it, so what the live set does not explain grows off the heap.
  const anonSlope = values['signal.anonSlopeBytesPerSecond'];
  if (typeof heapSlope === 'number' && typeof anonSlope === 'number') {
    const h = Math.max(0, heapSlope);
    const all = Math.max(h, anonSlope);
    if (all > 0) out.put('signal.jvmHeapShareOfGrowth', h / all);
  }
}
