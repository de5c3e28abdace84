import type { FactSetBuilder } from '../fact-set-builder.js';
import { gcCycles } from '../gc-cycles.js';
import { median } from '../series.js';
import type { SignalInputs } from './inputs.js';
import { postGcHeapAlloc } from './live-heap.js';

/**
 * GC work over the window, not since the process started: a program healthy for an hour that
 * starts thrashing now still reads a low GCCPUFraction. gctrace prints the cumulative GC CPU share
 * at each cycle (`@t s p%`), so the share between two cycles is (p₂·t₂ − p₁·t₁) / (t₂ − t₁); it is
 * read over the later half of the trace.
 */
export function deriveGcPressure(inputs: SignalInputs, out: FactSetBuilder): void {
  const g = inputs.gctrace === undefined ? undefined : gcCycles(inputs.gctrace);
  if (g !== undefined && g.n >= 3) {
    const { s, n } = g;
    const L = n - 1;
    const mid = (s.atSeconds[0]! + s.atSeconds[L]!) / 2;
    let from = 0;
    while (from < n && !(s.atSeconds[from]! >= mid)) from++;
    if (from === n) from = 0;
    const span = s.atSeconds[L]! - s.atSeconds[from]!;
    if (span > 0 && from !== L) {
      const share = (s.cpuPercent[L]! * s.atSeconds[L]! - s.cpuPercent[from]! * s.atSeconds[from]!) / span;
      out.put('signal.gcCpuRecentPercent', Math.max(0, Math.min(100, share)));
      out.put('signal.gcPerSecondRecent', (s.num[L]! - s.num[from]!) / span);
    }
    const ratios: number[] = [];
    for (let i = 0; i < n; i++)
      if (s.atSeconds[i]! >= mid && s.liveHeapBytes[i]! > 0)
        ratios.push(s.goalBytes[i]! / s.liveHeapBytes[i]!);
    out.put('signal.goalToLiveRatio', median(ratios));
    return;
  }
  // MemStats: GCs per second over the later half, and NextGC over the post-GC heap (the headroom
  // the pacer leaves: ~1 + GOGC/100, near 1 when a memory limit caps the goal).
  const timed = inputs.memstats.filter((m) => m.ts !== undefined && m.stats.NumGC !== undefined);
  const lastSample = timed.at(-1);
  if (lastSample === undefined || timed.length < 3) return;
  const mid = (timed[0]!.ts! + lastSample.ts!) / 2;
  const from = timed.find((m) => m.ts! >= mid)!;
  const seconds = (lastSample.ts! - from.ts!) / 1000;
  if (seconds > 0)
    out.put('signal.gcPerSecondRecent', (lastSample.stats.NumGC! - from.stats.NumGC!) / seconds);
  const post = postGcHeapAlloc(timed.filter((m) => m.ts! >= mid));
  const goals = timed.filter((m) => m.ts! >= mid).map((m) => m.stats.NextGC);
  const liveMedian = median(post.map((p) => p.v));
  const goalMedian = median(goals.filter((g): g is number => g !== undefined));
  if (liveMedian !== undefined && liveMedian > 0 && goalMedian !== undefined) {
    out.put('signal.goalToLiveRatio', goalMedian / liveMedian);
  }
  // GCCPUFraction is cumulative; over the later half it is the best MemStats offers without an uptime.
  out.put(
    'signal.gcCpuRecentPercent',
    lastSample.stats.GCCPUFraction === undefined ? undefined : lastSample.stats.GCCPUFraction * 100,
  );
}
