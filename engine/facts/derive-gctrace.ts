import type { GctraceLog } from '../parse/gctrace/types.js';
import { ratio, steadyIndices, type DeriveContext } from './derive-context.js';
import type { FactSetBuilder } from './fact-set-builder.js';
import { gcCycles, lastCycles, stacksAt } from './gc-cycles.js';
import { boundColumns, linearFitColumns, median, maxValue } from './series.js';

/** Cycles used for the goal/live ratio: the recent ones describe the pacer as it is now. */
const RECENT_CYCLES = 10;
/** Consecutive cycles searched backwards for those ratios in a thinned log (the parser keeps 64 at full resolution). */
const RECENT_SEARCH = 64;

/**
 * Facts from GODEBUG=gctrace=1 output, read from the parsed columns (see GcCycles): exact for a
 * log of up to the series cap, from an even sample of every cycle beyond it.
 */
export function deriveGctrace(log: GctraceLog, ctx: DeriveContext, out: FactSetBuilder): void {
  const g = gcCycles(log);
  const { s, n, complete, count } = g;
  if (n === 0) return;
  const L = n - 1;
  // `@Ns` is seconds since process start; place it on the bundle clock when the start is known.
  const t = (i: number) => (ctx.startMs ?? 0) + s.atSeconds[i]! * 1000;

  let forcedPoints = 0;
  for (let i = 0; i < n; i++) forcedPoints += s.forced[i]!;
  // Over every cycle: counted in the series when it holds them all, else by the parser's totals
  // (a log cut after parsing has none: its sample stands for `stride` cycles each).
  const forced = complete ? forcedPoints : (log.totals?.forcedCycles ?? forcedPoints * s.stride);
  const liveMax = complete
    ? maxValue(s.liveHeapBytes)
    : (log.totals?.maxLiveHeapBytes ?? maxValue(s.liveHeapBytes));

  out.put('gctrace.cycles', count);
  out.put('gctrace.liveHeapBytes', s.liveHeapBytes[L]);
  out.put('gctrace.liveHeapMaxBytes', liveMax);
  out.put('gctrace.goalBytes', s.goalBytes[L]);
  out.put('gctrace.gcCpuPercent', s.cpuPercent[L]);
  out.put('gctrace.stacksBytes', stacksAt(s, L));
  out.put('gctrace.forcedCycles', forced + log.forcedGcLines);
  out.put('gctrace.goalToLimitRatio', ratio(s.goalBytes[L], ctx.limitBytes));
  // A line's goal is that cycle's goal, set from the previous cycle's live heap (runtime/mgcpacer.go:
  // goal = live × (1 + GOGC/100), capped by the memory limit). The next goal, the one the heap grows
  // toward now, is the last live heap times the ratio the pacer has been using.
  const recent = lastCycles(log, g, complete ? n : RECENT_SEARCH);
  const paced: number[] = [];
  for (let i = recent.live.length - 1; i >= 1 && paced.length < RECENT_CYCLES; i--) {
    const prevLive = recent.live[i - 1]!;
    const goal = recent.goal[i]!;
    if (prevLive > 0 && goal > 0) paced.unshift(goal / prevLive);
  }
  const pace = median(paced);
  if (pace !== undefined)
    out.put('gctrace.nextGoalToLimitRatio', ratio(s.liveHeapBytes[L]! * pace, ctx.limitBytes));
  if (ctx.startMs !== undefined && ctx.endMs !== undefined) {
    out.put('gctrace.secondsSinceLastGc', Math.max(0, (ctx.endMs - t(L)) / 1000));
  }

  const span = s.atSeconds[L]! - s.atSeconds[0]!;
  if (count >= 2 && span > 0) {
    out.put('gctrace.windowSeconds', span);
    out.put('gctrace.gcPerSecond', (count - 1) / span);
    // Collections the program asked for (runtime.GC, debug.FreeOSMemory), not the pacer.
    const forcedAfterFirst = forced - s.forced[0]!;
    out.put('gctrace.forcedPerSecond', forcedAfterFirst / span);
    out.put('gctrace.forcedShare', forcedAfterFirst / (count - 1));
    // Thinned: each gap holds `stride` cycles (the last one may hold fewer, so it is left out).
    const gaps: number[] = [];
    const last = complete ? n : n - 1;
    for (let i = 1; i < last; i++) gaps.push((s.atSeconds[i]! - s.atSeconds[i - 1]!) / s.stride);
    out.put('gctrace.gcIntervalSeconds', median(gaps));
  }
  const tail = lastCycles(log, g, RECENT_CYCLES);
  const ratios: number[] = [];
  tail.live.forEach((live, i) => {
    if (live > 0) ratios.push(tail.goal[i]! / live);
  });
  out.put('gctrace.goalToLiveRatio', median(ratios));

  // As fitInto on {t, v} points, on the columns (no object per cycle).
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) times[i] = t(i);
  const fit = linearFitColumns(times, s.liveHeapBytes, steadyIndices(times));
  if (fit !== undefined) {
    out.put('gctrace.liveHeapSlopeBytesPerSecond', fit.slopePerSecond);
    out.put('gctrace.liveHeapTrendR2', fit.r2);
  }
  out.series('gctrace.liveHeapBytes', boundColumns(times, s.liveHeapBytes));
  out.series('gctrace.goalBytes', boundColumns(times, s.goalBytes));
}
