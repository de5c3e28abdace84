import type { GctraceLog } from '../parse/gctrace/types.js';
import type { MemStatsSample } from '../parse/memstats/types.js';
import type { HeapProfile, ProfileGrowth } from '../parse/pprof/types.js';
import type { NmtSummary } from '../parse/nmt/types.js';
import type { ProcStatus, PsiSnapshot } from '../parse/proc/types.js';
import { runningWindow, type CgroupReading } from './derive-cgroup.js';
import { ratio, steadyState, type DeriveContext } from './derive-context.js';
import type { FactSetBuilder } from './fact-set-builder.js';
import { linearFit, maxValue, median, secondHalf, seriesOf } from './series.js';
import type { SeriesPoint } from './types.js';

/** Everything the cross-source signals read: each input is optional, as each source is. */
export interface SignalInputs {
  memstats: readonly MemStatsSample[];
  gctrace?: GctraceLog;
  profiles: readonly HeapProfile[];
  profileTimes: readonly number[];
  growth?: ProfileGrowth;
  cgroups: readonly CgroupReading[];
  statuses: readonly ProcStatus[];
  /** Goroutine counts from goroutine profiles (goroutines.jsonl). */
  goroutineCounts: readonly SeriesPoint[];
  nmts: readonly NmtSummary[];
  /** IO pressure: the cgroup's io.pressure and the host's /proc/pressure/io. */
  cgroupIoPsi: readonly PsiSnapshot[];
  hostIoPsi: readonly PsiSnapshot[];
}

/**
 * A signal the rules can rely on whichever source carried it. Each `signal.*` fact says the same
 * thing from the best source present, in this order, so that a rule does not flip when one source is
 * missing: the live heap after GC from gctrace, else from MemStats (the lowest HeapAlloc between two
 * GCs), else from the heap profiles (each describes the heap as of its last GC).
 */
export function deriveSignals(inputs: SignalInputs, ctx: DeriveContext, out: FactSetBuilder): void {
  deriveLiveHeap(inputs, ctx, out);
  deriveGcPressure(inputs, ctx, out);
  deriveGoroutines(inputs, out);
  deriveFootprint(inputs, ctx, out);
  deriveIoPressure(inputs, out);
  deriveRatios(inputs, out);
}

/**
 * Comparisons between signals, for rules that must still decide when a source is missing: resident
 * memory against the live heap (fragmentation, or memory the GC does not see), anonymous growth
 * beyond live-heap growth (memory outside the Go heap), and JVM resident memory NMT does not track.
 */
function deriveRatios(inputs: SignalInputs, out: FactSetBuilder): void {
  const values = out.peek();
  const live = values['signal.liveHeapBytes'];
  // Anonymous resident memory (file pages — the mapped binary, mmap'd data — are not the heap's
  // doing) against the Go heap: HeapAlloc from MemStats, and the live heap after GC from any source.
  // Medians over the later half, so one reading mid-GC does not decide.
  const withHeap = inputs.memstats.filter((m) => m.ts !== undefined && m.stats.HeapAlloc !== undefined);
  const toAlloc: { anon: number; heap: number }[] = [];
  const anonLate: number[] = [];
  for (const { t, v: anon } of secondHalf(anonSeries(inputs))) {
    anonLate.push(anon);
    const m = withHeap.length > 0 ? nearest(withHeap, t) : undefined;
    if (m !== undefined && Math.abs(m.ts! - t) <= 2000 && m.stats.HeapAlloc! > 0) {
      toAlloc.push({ anon, heap: m.stats.HeapAlloc! });
    }
  }
  out.put('signal.rssAnonToGoHeapRatio', median(toAlloc.map((p) => p.anon / p.heap)));
  out.put('signal.goHeapExcessBytes', median(toAlloc.map((p) => p.anon - p.heap)));
  const anon = median(anonLate);
  if (typeof live === 'number' && live > 0 && anon !== undefined) {
    out.put('signal.rssAnonToLiveHeapRatio', anon / live);
    out.put('signal.anonBeyondLiveHeapBytes', anon - live);
  }
  const anonSlope = values['signal.anonSlopeBytesPerSecond'];
  const liveSlope = values['signal.liveHeapSlopeBytesPerSecond'];
  if (typeof anonSlope === 'number' && typeof liveSlope === 'number') {
    out.put('signal.anonBeyondLiveHeapSlopeBytesPerSecond', anonSlope - Math.max(0, liveSlope));
  }
  // Goroutine stacks from gctrace (Go 1.18+ `N MB stacks`): a goroutine leak without any count.
  const stacks = (inputs.gctrace?.cycles ?? []).flatMap((c) =>
    c.stacksBytes === undefined ? [] : [{ t: c.atSeconds * 1000, v: c.stacksBytes }],
  );
  const stackFit = linearFit(steadyOrAll(stacks));
  if (stackFit !== undefined && stacks.length > 0) {
    out.put('signal.stacksSlopeBytesPerSecond', stackFit.slopePerSecond);
    out.put('signal.stacksTrendR2', stackFit.r2);
    out.put('signal.stacksGrowthBytes', stacks.at(-1)!.v - stacks[0]!.v);
  }
  // Anonymous RSS minus NMT's committed total: a lower bound of what NMT does not track (glibc
  // arenas, zlib, JNI), because resident tracked memory never exceeds what NMT says is committed.
  // Its growth alone can be pages of committed memory being touched; its level above zero cannot.
  const usable = inputs.nmts.filter((n) => n.unusable === undefined && n.ts !== undefined);
  const untracked: SeriesPoint[] = [];
  for (const n of usable) {
    const st = nearestStatus(inputs.statuses, n.ts!);
    const anon = st?.rssAnonBytes ?? st?.vmRssBytes;
    if (st === undefined || anon === undefined || Math.abs(st.ts! - n.ts!) > 3000) continue;
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
  }
}

/**
 * The process's anonymous resident memory (RssAnon, else VmRSS), else the cgroup's anonymous memory
 * while the workload ran: one process per container makes them the same memory.
 */
function anonSeries(inputs: SignalInputs): SeriesPoint[] {
  const fromProcess = seriesOf(
    inputs.statuses,
    (s) => s.ts,
    (s) => s.rssAnonBytes ?? s.vmRssBytes,
  );
  if (fromProcess.length >= 3) return fromProcess;
  return seriesOf(
    runningCgroup(inputs.cgroups),
    (c) => c.ts,
    (c) => c.stat.anonBytes,
  );
}

function nearestStatus(statuses: readonly ProcStatus[], ts: number): ProcStatus | undefined {
  let best: ProcStatus | undefined;
  for (const s of statuses) {
    if (s.ts === undefined) continue;
    if (best === undefined || Math.abs(s.ts - ts) < Math.abs(best.ts! - ts)) best = s;
  }
  return best;
}

/**
 * The three views of the live heap, best first. A view must cover most of the window: gctrace with
 * every GC in the first second (a heap that then only grows toward a goal it never reaches) says
 * nothing about the rest, so the next source that does cover it is used.
 */
function liveHeapSeries(
  inputs: SignalInputs,
  ctx: DeriveContext,
): { source: string; points: SeriesPoint[] } | undefined {
  const candidates = [
    {
      source: 'gctrace',
      points: (inputs.gctrace?.cycles ?? []).map((c) => ({
        t: (ctx.startMs ?? 0) + c.atSeconds * 1000,
        v: c.liveHeapBytes,
      })),
    },
    { source: 'memstats', points: postGcHeapAlloc(inputs.memstats) },
    {
      source: 'pprof',
      points: inputs.profiles.flatMap((p, i) =>
        p.valid === false || inputs.profileTimes[i] === undefined
          ? []
          : [{ t: inputs.profileTimes[i]!, v: p.totals.inuseBytes }],
      ),
    },
  ].filter((c) => c.points.length >= 3);
  const span = (points: SeriesPoint[]) => points.at(-1)!.t - points[0]!.t;
  const window = ctx.startMs !== undefined && ctx.endMs !== undefined ? ctx.endMs - ctx.startMs : undefined;
  return candidates.find((c) => window === undefined || span(c.points) >= MIN_COVERAGE * window);
}

/** Share of the bundle window a live-heap view must span to be used before a later source. */
const MIN_COVERAGE = 0.4;

/**
 * MemStats has no "live heap after GC", but HeapAlloc is lowest just after a GC: the lowest sample
 * between two increments of NumGC is the live heap plus what was allocated in under one sampling
 * interval since. Where no GC ran between samples (a heap that only grows, or no GC at all), the
 * lowest HeapAlloc of each run of samples is still an upper bound of the live heap.
 */
export function postGcHeapAlloc(samples: readonly MemStatsSample[]): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  let run: { t: number; v: number; gc: number | undefined } | undefined;
  for (const s of samples) {
    const v = s.stats.HeapAlloc;
    if (s.ts === undefined || v === undefined) continue;
    const gc = s.stats.NumGC;
    if (run === undefined || gc !== run.gc) {
      if (run !== undefined) out.push({ t: run.t, v: run.v });
      run = { t: s.ts, v, gc };
    } else if (v < run.v) {
      run = { t: s.ts, v, gc };
    }
  }
  if (run !== undefined) out.push({ t: run.t, v: run.v });
  return out;
}

function deriveLiveHeap(inputs: SignalInputs, ctx: DeriveContext, out: FactSetBuilder): void {
  const live = liveHeapSeries(inputs, ctx);
  if (live === undefined) return;
  const steady = steadyOrAll(live.points);
  const fit = linearFit(steady);
  if (fit === undefined) return;
  out.put('signal.liveHeapSource', live.source);
  out.put('signal.liveHeapBytes', steady.at(-1)?.v);
  out.put('signal.liveHeapSlopeBytesPerSecond', fit.slopePerSecond);
  out.put('signal.liveHeapTrendR2', fit.r2);
  out.put('signal.liveHeapToLimitRatio', ratio(steady.at(-1)?.v, ctx.limitBytes));
  const first = live.points[0]!;
  const last = live.points.at(-1)!;
  out.put('signal.liveHeapWindowSeconds', (last.t - first.t) / 1000);
  // A warm-up levels off; a leak does not. The later half of the window against the whole of it
  // (at least the last three points, when GCs were sparse late in the window).
  const mid = (first.t + last.t) / 2;
  const latePoints = live.points.filter((p) => p.t >= mid);
  const late = lateSlope(latePoints, live.points);
  if (late !== undefined && fit.slopePerSecond > 0) {
    out.put('signal.liveHeapLateSlopeBytesPerSecond', late);
    out.put('signal.liveHeapLateToOverallSlopeRatio', late / fit.slopePerSecond);
  }
  // Growth in objects along with bytes: per-object size of what the heap gained.
  const objects =
    inputs.memstats.length >= 3
      ? seriesOf(
          inputs.memstats,
          (m) => m.ts,
          (m) => m.stats.HeapObjects,
        )
      : inputs.profiles.flatMap((p, i) =>
          p.valid === false || inputs.profileTimes[i] === undefined
            ? []
            : [{ t: inputs.profileTimes[i]!, v: p.totals.inuseObjects }],
        );
  const objFit = linearFit(steadyOrAll(objects));
  if (objFit !== undefined) {
    out.put('signal.heapObjectsSlopePerSecond', objFit.slopePerSecond);
    if (fit.slopePerSecond > 0 && objFit.slopePerSecond > 0) {
      out.put('signal.bytesPerNewObject', fit.slopePerSecond / objFit.slopePerSecond);
    }
  }
}

/**
 * GC work over the window, not since the process started: a program healthy for an hour that
 * starts thrashing now still reads a low GCCPUFraction. gctrace prints the cumulative GC CPU share
 * at each cycle (`@t s p%`), so the share between two cycles is (p₂·t₂ − p₁·t₁) / (t₂ − t₁); it is
 * read over the later half of the trace.
 */
function deriveGcPressure(inputs: SignalInputs, ctx: DeriveContext, out: FactSetBuilder): void {
  const cycles = inputs.gctrace?.cycles ?? [];
  const lastCycle = cycles.at(-1);
  if (lastCycle !== undefined && cycles.length >= 3) {
    const mid = (cycles[0]!.atSeconds + lastCycle.atSeconds) / 2;
    const from = cycles.find((c) => c.atSeconds >= mid) ?? cycles[0]!;
    const span = lastCycle.atSeconds - from.atSeconds;
    if (span > 0 && from !== lastCycle) {
      const share = (lastCycle.cpuPercent * lastCycle.atSeconds - from.cpuPercent * from.atSeconds) / span;
      out.put('signal.gcCpuRecentPercent', Math.max(0, Math.min(100, share)));
      out.put('signal.gcPerSecondRecent', (lastCycle.num - from.num) / span);
    }
    const recent = cycles.filter((c) => c.atSeconds >= mid && c.liveHeapBytes > 0);
    out.put('signal.goalToLiveRatio', median(recent.map((c) => c.goalBytes / c.liveHeapBytes)));
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
  void ctx;
}

/** The goroutine count from MemStats (expvar or Prometheus), else from goroutine profiles. */
function deriveGoroutines(inputs: SignalInputs, out: FactSetBuilder): void {
  const fromMemstats = seriesOf(
    inputs.memstats,
    (m) => m.ts,
    (m) => m.goroutines,
  );
  const points = fromMemstats.length >= 3 ? fromMemstats : [...inputs.goroutineCounts];
  if (points.length < 2) return;
  const first = points[0]!;
  const last = points.at(-1)!;
  out.put('signal.goroutines', last.v);
  out.put('signal.goroutinesGrowth', last.v - first.v);
  out.put('signal.goroutinesWindowSeconds', (last.t - first.t) / 1000);
  const seconds = (last.t - first.t) / 1000;
  if (seconds > 0) out.put('signal.goroutinesPerSecond', (last.v - first.v) / seconds);
  const fit = linearFit(points);
  if (fit !== undefined) out.put('signal.goroutinesTrendR2', fit.r2);
  // Share of the samples at which the count was a new high: a leak climbs, a pool breathes.
  let highs = 0;
  let best = -Infinity;
  for (const p of points) {
    if (p.v > best) highs++;
    best = Math.max(best, p.v);
  }
  out.put('signal.goroutinesNewHighShare', highs / points.length);
}

/**
 * What the container holds: the cgroup's usage (else the process's RSS), its anonymous part (page
 * cache grows harmlessly until the limit), and — for a Go process — the memory outside the Go heap.
 */
function deriveFootprint(inputs: SignalInputs, ctx: DeriveContext, out: FactSetBuilder): void {
  // Growth: the cgroup's anonymous memory first (every process of the container), else the process's.
  const running = runningCgroup(inputs.cgroups);
  const fromCgroup = seriesOf(
    running,
    (c) => c.ts,
    (c) => c.stat.anonBytes,
  );
  const anon = fromCgroup.length >= 3 ? fromCgroup : anonSeries(inputs);
  const anonFit = linearFit(steadyOrAll(anon));
  if (anonFit !== undefined) {
    out.put('signal.anonSlopeBytesPerSecond', anonFit.slopePerSecond);
    out.put('signal.anonTrendR2', anonFit.r2);
    out.put('signal.anonGrowthBytes', anon.at(-1)!.v - steadyOrAll(anon)[0]!.v);
    out.put('signal.anonToLimitRatio', ratio(maxValue(anon.map((p) => p.v)), ctx.limitBytes));
  }
  // Go: RSS beyond what the runtime has mapped and not released (Sys − HeapReleased). cgo, C
  // libraries and raw mmap grow this; a Go heap leak does not.
  const byTime = inputs.memstats.filter((m) => m.ts !== undefined);
  const anonPoints = anonSeries(inputs);
  if (byTime.length >= 3 && anonPoints.length >= 3) {
    const outside: SeriesPoint[] = [];
    for (const { t, v } of anonPoints) {
      const m = nearest(byTime, t);
      if (m === undefined || Math.abs(m.ts! - t) > 2000) continue;
      const { Sys, HeapReleased } = m.stats;
      if (Sys === undefined || HeapReleased === undefined) continue;
      outside.push({ t, v: v - (Sys - HeapReleased) });
    }
    const steady = steadyOrAll(outside);
    const fit = linearFit(steady);
    if (fit !== undefined && steady.length > 0) {
      out.put('signal.outsideGoRuntimeSlopeBytesPerSecond', fit.slopePerSecond);
      out.put('signal.outsideGoRuntimeTrendR2', fit.r2);
      out.put('signal.outsideGoRuntimeGrowthBytes', steady.at(-1)!.v - steady[0]!.v);
    }
  }
}

function deriveIoPressure(inputs: SignalInputs, out: FactSetBuilder): void {
  out.put('psi.ioSomeAvg10MaxPercent', maxValue(inputs.hostIoPsi.map((p) => p.some?.avg10)));
  out.put('psi.cgroupIoSomeAvg10MaxPercent', maxValue(inputs.cgroupIoPsi.map((p) => p.some?.avg10)));
}

/** Cgroup readings while the workload ran (not the near-empty ones before it entered or after it left). */
function runningCgroup(cgroups: readonly CgroupReading[]): CgroupReading[] {
  const running = runningWindow(
    seriesOf(
      cgroups,
      (c) => c.ts,
      (c) => c.usageBytes,
    ),
  );
  const from = running[0]?.t ?? Infinity;
  const to = running.at(-1)?.t ?? -Infinity;
  return cgroups.filter((c) => c.ts !== undefined && c.ts >= from && c.ts <= to);
}

function nearest(samples: readonly MemStatsSample[], ts: number): MemStatsSample | undefined {
  let best: MemStatsSample | undefined;
  for (const s of samples) if (best === undefined || Math.abs(s.ts! - ts) < Math.abs(best.ts! - ts)) best = s;
  return best;
}

/**
 * The points after start-up, when at least three remain; else all of them. A profile series taken
 * every 15 s over 45 s has three points, and dropping the first would leave no trend at all.
 */
function steadyOrAll(points: readonly SeriesPoint[]): SeriesPoint[] {
  const steady = steadyState(points);
  return steady.length >= 3 ? steady : [...points];
}

/**
 * Slope over the later half of a window: a least-squares fit with three points or more, the line
 * through two (a GC every 15 s leaves two in a 45 s window's later half), else the last three points
 * of the whole series.
 */
function lateSlope(late: readonly SeriesPoint[], all: readonly SeriesPoint[]): number | undefined {
  if (late.length >= 3) return linearFit(late)?.slopePerSecond;
  if (late.length === 2 && late[1]!.t > late[0]!.t)
    return ((late[1]!.v - late[0]!.v) * 1000) / (late[1]!.t - late[0]!.t);
  return linearFit(all.slice(-3))?.slopePerSecond;
}
