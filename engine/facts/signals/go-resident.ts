import type { FactSetBuilder } from '../fact-set-builder.js';
import { median, nearestWithin, secondHalf } from '../series.js';
import type { SeriesPoint } from '../types.js';
import { anonSeries, swapSeries, type SignalInputs } from './inputs.js';

/**
 * Resident memory against the Go heap, for rules that must still decide when a source is missing:
 * anonymous RSS far above the heap (fragmentation, idle spans not returned) and anonymous growth
 * beyond live-heap growth (memory outside the Go heap). Reads the live-heap and footprint signals,
 * so it runs after them.
 */
export function deriveGoResident(inputs: SignalInputs, out: FactSetBuilder): void {
  const values = out.peek();
  const live = values['signal.liveHeapBytes'];
  // Anonymous resident memory (file pages — the mapped binary, mmap'd data — are not the heap's
  // doing) against the Go heap: HeapAlloc from MemStats, and the live heap after GC from any source.
  // Medians over the later half, so one reading mid-GC does not decide.
  const withHeap = inputs.memstats
    .filter((m) => m.ts !== undefined && m.stats.HeapAlloc !== undefined)
    .sort((a, b) => a.ts! - b.ts!);
  const toAlloc: { t: number; anon: number; heap: number }[] = [];
  const anonLate: number[] = [];
  for (const { t, v: anon } of secondHalf(anonSeries(inputs))) {
    anonLate.push(anon);
    const heap = nearestWithin(withHeap, t, 2000, (x) => x.ts!)?.stats.HeapAlloc;
    if (heap !== undefined && heap > 0) toAlloc.push({ t, anon, heap });
  }
  out.put('signal.rssAnonToGoHeapRatio', median(toAlloc.map((p) => p.anon / p.heap)));
  out.put('signal.goHeapExcessBytes', median(toAlloc.map((p) => p.anon - p.heap)));
  deriveUnwrittenHeap(toAlloc, swapSeries(inputs), out);
  const anon = median(anonLate);
  if (typeof live === 'number' && live > 0 && anon !== undefined) {
    out.put('signal.rssAnonToLiveHeapRatio', anon / live);
    out.put('signal.anonBeyondLiveHeapBytes', anon - live);
    // Against the heap goal: a heap peaks at its goal between GCs whatever GOGC is (GOGC=400 peaks at
    // 5× the live heap), so RSS well past the goal is memory the heap's own cycle does not explain.
    const goalToLive = values['signal.goalToLiveRatio'];
    if (typeof goalToLive === 'number' && goalToLive >= 1) {
      out.put('signal.rssAnonToHeapGoalRatio', anon / (live * goalToLive));
      out.put('signal.anonBeyondHeapGoalBytes', anon - live * goalToLive);
    }
  }
  const anonSlope = values['signal.anonSlopeBytesPerSecond'];
  const liveSlope = values['signal.liveHeapSlopeBytesPerSecond'];
  if (typeof anonSlope === 'number' && typeof liveSlope === 'number') {
    out.put('signal.anonBeyondLiveHeapSlopeBytesPerSecond', anonSlope - Math.max(0, liveSlope));
  }
}

/**
 * Heap the program allocated and never wrote. Every page of the Go heap that holds written data is
 * resident (anonymous) or swapped out; the runtime takes fresh spans from the OS already zeroed and
 * does not touch them (mallocgc clears only spans marked needzero, i.e. reused ones), so HeapAlloc
 * above anonymous + swapped memory is capacity that was reserved and never filled: `Grow`, a large
 * `make(…, 0, n)`, append's spare capacity. Anonymous memory also holds stacks, runtime metadata and
 * C memory, so this can only under-count. Later-half medians over the readings deriveGoResident
 * paired with HeapAlloc (within 2 s), each with the swap reading nearest it.
 * Absent when swap is unknown (no VmSwap and no cgroup swap counter): swapped-out pages would read
 * as unwritten.
 */
function deriveUnwrittenHeap(
  paired: readonly { t: number; anon: number; heap: number }[],
  swap: readonly SeriesPoint[],
  out: FactSetBuilder,
): void {
  if (swap.length === 0) return;
  const unwritten: number[] = [];
  const shares: number[] = [];
  for (const { t, anon, heap } of paired) {
    const swapped = nearestWithin(swap, t, 2000, (p) => p.t)?.v;
    if (swapped === undefined) continue;
    const bytes = heap - anon - swapped;
    unwritten.push(bytes);
    shares.push(bytes / heap);
  }
  out.put('signal.heapUnwrittenBytes', median(unwritten));
  out.put('signal.heapUnwrittenShare', median(shares));
}
