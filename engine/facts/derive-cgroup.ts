import type { CgroupSnapshot } from '../parse/cgroup/types.js';
import type { PsiTotals } from '../parse/prom-text/prom-to-psi.js';
import { ratio, steadyState, type DeriveContext } from './derive-context.js';
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
 * A trailing reading whose anonymous memory (and mapped files) fell below this share of the running
 * maximum was taken after the process exited: the kernel uncharged its anonymous pages and unmapped
 * its files, but the page cache it read stays charged to the cgroup (mm/memcontrol.c charges a page
 * to the cgroup that first faulted it, until the page is freed). Usage may still read 90 %+ of the
 * limit then, but that is not the incident.
 */
const EXITED_ANON_SHARE = 0.1;

/**
 * Usage at or above this share of the limit has reached it: the kernel reclaims or OOM-kills there,
 * so usage stays flat at the limit. Growth is fitted on the readings before it clamps, and no
 * time-to-limit is projected once it is there.
 */
export const AT_LIMIT_SHARE = 0.97;

/** Below this R², growth is not a straight line (steps, a staircase): a single projection misleads. */
const STRAIGHT_LINE_R2 = 0.9;

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

  // Only the readings while the workload ran: not before it entered, not after it exited.
  const runningReadings = runningCgroup(snapshots);
  const runSeries = (pick: (s: CgroupReading) => number | undefined): SeriesPoint[] =>
    seriesOf(runningReadings, (s) => s.ts, pick);
  const usage = series((s) => s.usageBytes);
  const running = runSeries((s) => s.usageBytes);
  const peakReading = maxValue([0, ...snapshots.map((s) => s.peakBytes ?? 0), ...usage.map((p) => p.v)])!;
  const current = running[running.length - 1]?.v ?? last.usageBytes;
  out.put('cgroup.usageBytes', current);
  if (peakReading > 0) out.put('cgroup.peakUsageBytes', peakReading);
  out.put('cgroup.usageRatio', ratio(current, limit));
  out.put('cgroup.peakUsageRatio', peakReading > 0 ? ratio(peakReading, limit) : undefined);
  deriveTimeToLimit(running, limit, current, out);

  // failcnt (v1) counts charges that hit the limit; v2's closest counter is memory.events `max`.
  const failures = runSeries((s) => s.failcnt ?? s.events?.['max']);
  out.put('cgroup.failcnt', last.failcnt ?? last.events?.['max']);
  out.put('cgroup.failcntPerSecond', counterRate(failures));
  out.put('cgroup.oomKills', last.oomKills ?? last.events?.['oom_kill']);

  // Composition at the peak: that is the moment the runbook is about.
  const atPeak = runningReadings.reduce<CgroupReading | undefined>(
    (best, s) => ((s.usageBytes ?? -1) > (best?.usageBytes ?? -1) ? s : best),
    undefined,
  );
  if (atPeak !== undefined) {
    out.put('cgroup.anonBytes', atPeak.stat.anonBytes);
    out.put('cgroup.fileBytes', atPeak.stat.fileBytes);
    out.put('cgroup.fileMappedBytes', atPeak.stat.fileMappedBytes);
    out.put('cgroup.fileToUsageRatio', ratio(atPeak.stat.fileBytes, atPeak.usageBytes));
  }
  out.put('cgroup.pgmajfaultPerSecond', counterRate(runSeries((s) => s.stat.pgmajfault)));
  out.put(
    'cgroup.workingsetRefaultFilePerSecond',
    counterRate(runSeries((s) => s.stat.workingsetRefaultFile)),
  );
  out.put('cgroup.pgscanPerSecond', counterRate(runSeries((s) => s.stat.pgscan)));

  out.put('psi.cgroupSomeAvg10MaxPercent', maxValue(runningReadings.map((s) => s.pressure?.some?.avg10)));
  out.put('psi.cgroupFullAvg10MaxPercent', maxValue(runningReadings.map((s) => s.pressure?.full?.avg10)));
  const stall = counterRate(
    runSeries((s) => s.pressure?.some?.totalMicros ?? s.pressureTotals?.some?.totalMicros),
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

/**
 * Cgroup readings while the workload ran: not the near-empty ones before it entered, nor the ones
 * after it exited (usage fell away, or only its page cache is left charged).
 */
export function runningCgroup(cgroups: readonly CgroupReading[]): CgroupReading[] {
  const timed = cgroups.filter((c) => c.ts !== undefined).sort((a, b) => a.ts! - b.ts!);
  const running = runningWindow(
    seriesOf(
      timed,
      (c) => c.ts,
      (c) => c.usageBytes,
    ),
  );
  const from = running[0]?.t ?? Infinity;
  const to = running.at(-1)?.t ?? -Infinity;
  return dropExited(timed.filter((c) => c.ts! >= from && c.ts! <= to));
}

/** Memory reclaim cannot drop without swap: memory.stat anon (v1 rss) plus shmem. */
function unreclaimable(c: CgroupReading): number | undefined {
  return c.stat.anonBytes !== undefined ? c.stat.anonBytes + (c.stat.shmemBytes ?? 0) : undefined;
}

/**
 * Drops trailing readings taken after the process exited: its anonymous memory is gone (and its
 * mapped files, when memory.stat says), while page cache may keep usage near the limit.
 */
function dropExited(readings: readonly CgroupReading[]): CgroupReading[] {
  const maxAnon = maxValue(readings.map(unreclaimable));
  const maxMapped = maxValue(readings.map((r) => r.stat.fileMappedBytes));
  if (maxAnon === undefined || maxAnon <= 0) return [...readings];
  const exited = (r: CgroupReading): boolean => {
    const anon = unreclaimable(r);
    const mapped = r.stat.fileMappedBytes;
    return (
      anon !== undefined &&
      anon <= EXITED_ANON_SHARE * maxAnon &&
      (mapped === undefined ||
        maxMapped === undefined ||
        maxMapped <= 0 ||
        mapped <= EXITED_ANON_SHARE * maxMapped)
    );
  };
  let end = readings.length;
  while (end > 1 && exited(readings[end - 1]!)) end--;
  return readings.slice(0, end);
}

/** The usage readings before usage reached the limit (at the limit it stays flat: reclaim or OOM). */
function beforeLimit(points: readonly SeriesPoint[], limit: number | undefined): SeriesPoint[] {
  if (limit === undefined) return [...points];
  const at = points.findIndex((p) => p.v >= AT_LIMIT_SHARE * limit);
  return at < 0 ? [...points] : points.slice(0, at);
}

/**
 * Usage growth and time to the limit, from one fit: the usage readings after start-up and before
 * usage reached the limit. The slope, R² and window of that fit are the facts a runbook states next
 * to the projection, so it never quotes one rate and projects with another. When the fit is poor
 * (growth in steps), the projection comes as a range: the halves of the window grew at different
 * rates, and the time left lies between what each would give.
 */
function deriveTimeToLimit(
  running: readonly SeriesPoint[],
  limit: number | undefined,
  current: number | undefined,
  out: FactSetBuilder,
): void {
  let growth = beforeLimit(steadyState(running), limit);
  if (growth.length < 3) growth = beforeLimit(running, limit);
  const fit = linearFit(growth);
  if (fit === undefined) return;
  out.put('cgroup.usageSlopeBytesPerSecond', fit.slopePerSecond);
  out.put('cgroup.usageTrendR2', fit.r2);
  out.put('cgroup.usageGrowthWindowSeconds', (growth.at(-1)!.t - growth[0]!.t) / 1000);
  if (limit === undefined || current === undefined || fit.slopePerSecond <= 0) return;
  if (current >= AT_LIMIT_SHARE * limit) return; // already there: nothing to project
  const headroom = limit - current;
  out.put('cgroup.secondsToLimit', headroom / fit.slopePerSecond);
  if (fit.r2 >= STRAIGHT_LINE_R2) return;
  const mid = (growth[0]!.t + growth.at(-1)!.t) / 2;
  const span = Math.max(2, Math.floor(growth.length / 5));
  const rates = [
    fit.slopePerSecond,
    halfRate(growth.filter((p) => p.t <= mid)),
    halfRate(growth.filter((p) => p.t >= mid)),
  ].filter((r): r is number => r !== undefined && r > 0);
  // The steepest stretch (a fifth of the readings): a step can come again that fast.
  let steepest = fit.slopePerSecond;
  for (let i = 0; i + span < growth.length; i++) {
    steepest = Math.max(steepest, halfRate(growth.slice(i, i + span + 1)) ?? 0);
  }
  out.put('cgroup.secondsToLimitLow', headroom / steepest);
  out.put('cgroup.secondsToLimitHigh', headroom / Math.min(...rates));
}

/** Average rate over part of a series: last minus first over the time between them. */
function halfRate(points: readonly SeriesPoint[]): number | undefined {
  if (points.length < 2) return undefined;
  const seconds = (points.at(-1)!.t - points[0]!.t) / 1000;
  return seconds > 0 ? (points.at(-1)!.v - points[0]!.v) / seconds : undefined;
}
