import type { GcCycle, GctraceLog } from '../parse/gctrace/types.js';
import { ratio, type DeriveContext } from './derive-context.js';
import { fitInto } from './derive-memstats.js';
import type { FactSetBuilder } from './fact-set-builder.js';
import { median, maxValue } from './series.js';

/** Cycles used for the goal/live ratio: the recent ones describe the pacer as it is now. */
const RECENT_CYCLES = 10;

/** Facts from GODEBUG=gctrace=1 output. */
export function deriveGctrace(log: GctraceLog, ctx: DeriveContext, out: FactSetBuilder): void {
  const cycles = log.cycles;
  const last = cycles[cycles.length - 1];
  if (last === undefined) return;
  // `@Ns` is seconds since process start; place it on the bundle clock when the start is known.
  const t = (c: GcCycle) => (ctx.startMs ?? 0) + c.atSeconds * 1000;

  out.put('gctrace.cycles', cycles.length);
  out.put('gctrace.liveHeapBytes', last.liveHeapBytes);
  out.put('gctrace.liveHeapMaxBytes', maxValue(cycles.map((c) => c.liveHeapBytes)));
  out.put('gctrace.goalBytes', last.goalBytes);
  out.put('gctrace.gcCpuPercent', last.cpuPercent);
  out.put('gctrace.stacksBytes', last.stacksBytes);
  out.put('gctrace.forcedCycles', cycles.filter((c) => c.forced).length + log.forcedGcLines);
  out.put('gctrace.goalToLimitRatio', ratio(last.goalBytes, ctx.limitBytes));
  // A line's goal is that cycle's goal, set from the previous cycle's live heap (runtime/mgcpacer.go:
  // goal = live × (1 + GOGC/100), capped by the memory limit). The next goal, the one the heap grows
  // toward now, is the last live heap times the ratio the pacer has been using.
  const paced = cycles.slice(1).flatMap((c, i) => {
    const prevLive = cycles[i]!.liveHeapBytes;
    return prevLive > 0 && c.goalBytes > 0 ? [c.goalBytes / prevLive] : [];
  });
  const pace = median(paced.slice(-RECENT_CYCLES));
  if (pace !== undefined)
    out.put('gctrace.nextGoalToLimitRatio', ratio(last.liveHeapBytes * pace, ctx.limitBytes));
  if (ctx.startMs !== undefined && ctx.endMs !== undefined) {
    out.put('gctrace.secondsSinceLastGc', Math.max(0, (ctx.endMs - t(last)) / 1000));
  }

  const span = last.atSeconds - cycles[0]!.atSeconds;
  if (cycles.length >= 2 && span > 0) {
    out.put('gctrace.windowSeconds', span);
    out.put('gctrace.gcPerSecond', (cycles.length - 1) / span);
    // Collections the program asked for (runtime.GC, debug.FreeOSMemory), not the pacer.
    const forced = cycles.slice(1).filter((c) => c.forced).length;
    out.put('gctrace.forcedPerSecond', forced / span);
    out.put('gctrace.forcedShare', forced / (cycles.length - 1));
    out.put(
      'gctrace.gcIntervalSeconds',
      median(cycles.slice(1).map((c, i) => c.atSeconds - cycles[i]!.atSeconds)),
    );
  }
  const recent = cycles.slice(-RECENT_CYCLES).filter((c) => c.liveHeapBytes > 0);
  out.put('gctrace.goalToLiveRatio', median(recent.map((c) => c.goalBytes / c.liveHeapBytes)));

  const live = cycles.map((c) => ({ t: t(c), v: c.liveHeapBytes }));
  fitInto(out, live, 'gctrace.liveHeapSlopeBytesPerSecond', 'gctrace.liveHeapTrendR2');
  out.series('gctrace.liveHeapBytes', live);
  out.series(
    'gctrace.goalBytes',
    cycles.map((c) => ({ t: t(c), v: c.goalBytes })),
  );
}
