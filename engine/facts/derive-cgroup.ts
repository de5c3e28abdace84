import type { CgroupSnapshot } from '../parse/cgroup/types.js';
import type { PsiTotals } from '../parse/prom-text/prom-to-psi.js';
import { ratio, type DeriveContext } from './derive-context.js';
import { fitInto } from './derive-memstats.js';
import type { FactSetBuilder } from './fact-set-builder.js';
import { counterRate, linearFit, seriesOf, maxValue } from './series.js';
import type { SeriesPoint } from './types.js';

/**
 * Usage below these shares of the peak marks readings taken before the workload entered the
 * cgroup or after it exited (the fixtures' harness takes one of each; a live capture can too).
 * Such readings are outside the running window used for usage and its trend.
 */
const ENTERED_SHARE_OF_PEAK = 0.1;
const EXITED_SHARE_OF_PEAK = 0.5;

/**
 * A cgroup reading from the raw files, or from an exporter (cAdvisor), where the version is unknown
 * and PSI comes only as totals.
 */
export type CgroupReading = Omit<CgroupSnapshot, 'version' | 'rawStat'> & {
  version?: 1 | 2;
  pressureTotals?: PsiTotals;
};

/** The limit of the cgroup, when any reading has one (null = unlimited, so none). */
export function cgroupLimit(snapshots: readonly CgroupReading[]): number | undefined {
  for (let i = snapshots.length - 1; i >= 0; i--) {
    const limit = snapshots[i]!.limitBytes;
    if (typeof limit === 'number') return limit;
  }
  return undefined;
}

/** Facts from a series of memory-cgroup readings (v1 or v2). */
export function deriveCgroup(
  snapshots: readonly CgroupReading[],
  ctx: DeriveContext,
  out: FactSetBuilder,
): void {
  const last = snapshots[snapshots.length - 1];
  if (last === undefined) return;
  const limit = ctx.limitBytes;
  const timed = snapshots.filter((s) => s.ts !== undefined);
  const series = (pick: (s: CgroupReading) => number | undefined): SeriesPoint[] =>
    seriesOf(timed, (s) => s.ts, pick);

  out.put('cgroup.version', last.version);
  out.put('cgroup.limitBytes', limit);

  const usage = series((s) => s.usageBytes);
  const running = runningWindow(usage);
  const peakReading = maxValue([0, ...snapshots.map((s) => s.peakBytes ?? 0), ...usage.map((p) => p.v)])!;
  const current = running[running.length - 1]?.v ?? last.usageBytes;
  out.put('cgroup.usageBytes', current);
  if (peakReading > 0) out.put('cgroup.peakUsageBytes', peakReading);
  out.put('cgroup.usageRatio', ratio(current, limit));
  out.put('cgroup.peakUsageRatio', peakReading > 0 ? ratio(peakReading, limit) : undefined);
  fitInto(out, running, 'cgroup.usageSlopeBytesPerSecond', 'cgroup.usageTrendR2');
  const fit = linearFit(running);
  if (fit !== undefined && fit.slopePerSecond > 0 && limit !== undefined && current !== undefined) {
    out.put('cgroup.secondsToLimit', Math.max(0, (limit - current) / fit.slopePerSecond));
  }

  // failcnt (v1) counts charges that hit the limit; v2's closest counter is memory.events `max`.
  const failures = series((s) => s.failcnt ?? s.events?.['max']);
  out.put('cgroup.failcnt', last.failcnt ?? last.events?.['max']);
  out.put('cgroup.failcntPerSecond', counterRate(failures));
  out.put('cgroup.oomKills', last.oomKills ?? last.events?.['oom_kill']);

  // Composition at the peak: that is the moment the runbook is about.
  const atPeak = timed.reduce<CgroupReading | undefined>(
    (best, s) => ((s.usageBytes ?? -1) > (best?.usageBytes ?? -1) ? s : best),
    undefined,
  );
  if (atPeak !== undefined) {
    out.put('cgroup.anonBytes', atPeak.stat.anonBytes);
    out.put('cgroup.fileBytes', atPeak.stat.fileBytes);
    out.put('cgroup.fileMappedBytes', atPeak.stat.fileMappedBytes);
    out.put('cgroup.fileToUsageRatio', ratio(atPeak.stat.fileBytes, atPeak.usageBytes));
  }
  out.put('cgroup.pgmajfaultPerSecond', counterRate(series((s) => s.stat.pgmajfault)));
  out.put('cgroup.workingsetRefaultFilePerSecond', counterRate(series((s) => s.stat.workingsetRefaultFile)));
  out.put('cgroup.pgscanPerSecond', counterRate(series((s) => s.stat.pgscan)));

  out.put('psi.cgroupSomeAvg10MaxPercent', maxValue(timed.map((s) => s.pressure?.some?.avg10)));
  out.put('psi.cgroupFullAvg10MaxPercent', maxValue(timed.map((s) => s.pressure?.full?.avg10)));
  const stall = counterRate(
    series((s) => s.pressure?.some?.totalMicros ?? s.pressureTotals?.some?.totalMicros),
  );
  out.put('psi.cgroupSomeStallRatio', stall === undefined ? undefined : stall / 1e6);

  out.series('cgroup.usageBytes', running);
  out.series('cgroup.failcnt', failures);
}

/** Usage readings from when the workload had entered the cgroup until it exited. */
export function runningWindow(usage: readonly SeriesPoint[]): SeriesPoint[] {
  if (usage.length === 0) return [];
  const peak = maxValue(usage.map((p) => p.v))!;
  if (peak <= 0) return [...usage];
  let from = usage.findIndex((p) => p.v >= ENTERED_SHARE_OF_PEAK * peak);
  const peakAt = usage.findIndex((p) => p.v === peak);
  let to = usage.length;
  for (let i = peakAt + 1; i < usage.length; i++) {
    if (usage[i]!.v < EXITED_SHARE_OF_PEAK * peak) {
      to = i;
      break;
    }
  }
  if (from < 0) from = 0;
  return usage.slice(from, to);
}
