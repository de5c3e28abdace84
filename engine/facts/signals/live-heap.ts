import type { MemStatsSample } from '../../parse/memstats/types.js';
import type { DeriveContext } from '../derive-context.js';
import { ratio } from '../derive-context.js';
import type { FactSetBuilder } from '../fact-set-builder.js';
import { gcCycles } from '../gc-cycles.js';
import { linearFit, seriesOf } from '../series.js';
import type { SeriesPoint } from '../types.js';
import { steadyOrAll, type SignalInputs } from './inputs.js';

export function deriveLiveHeap(inputs: SignalInputs, ctx: DeriveContext, out: FactSetBuilder): void {
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
      points: gctraceLiveHeap(inputs, ctx),
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

/** Live heap after each GC (each point of a thinned log's series), on the bundle clock. */
function gctraceLiveHeap(inputs: SignalInputs, ctx: DeriveContext): SeriesPoint[] {
  if (inputs.gctrace === undefined) return [];
  const { s, n } = gcCycles(inputs.gctrace);
  const points = new Array<SeriesPoint>(n);
  for (let i = 0; i < n; i++)
    points[i] = { t: (ctx.startMs ?? 0) + s.atSeconds[i]! * 1000, v: s.liveHeapBytes[i]! };
  return points;
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
