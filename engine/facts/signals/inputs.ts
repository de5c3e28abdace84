import type { GctraceLog } from '../../parse/gctrace/types.js';
import type { MemStatsSample } from '../../parse/memstats/types.js';
import type { NmtSummary } from '../../parse/nmt/types.js';
import type { HeapProfile } from '../../parse/pprof/types.js';
import type { ProcStatus, PsiSnapshot } from '../../parse/proc/types.js';
import { runningWindow, type CgroupReading } from '../derive-cgroup.js';
import { steadyState } from '../derive-context.js';
import { seriesOf } from '../series.js';
import type { SeriesPoint } from '../types.js';

/** Everything the cross-source signals read: each input is optional, as each source is. */
export interface SignalInputs {
  memstats: readonly MemStatsSample[];
  gctrace?: GctraceLog;
  profiles: readonly HeapProfile[];
  profileTimes: readonly number[];
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
 * The process's anonymous resident memory (RssAnon, else VmRSS), else the cgroup's anonymous memory
 * while the workload ran: one process per container makes them the same memory.
 */
export function anonSeries(inputs: SignalInputs): SeriesPoint[] {
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

/** Cgroup readings while the workload ran (not the near-empty ones before it entered or after it left). */
export function runningCgroup(cgroups: readonly CgroupReading[]): CgroupReading[] {
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

/**
 * The points after start-up, when at least three remain; else all of them. A profile series taken
 * every 15 s over 45 s has three points, and dropping the first would leave no trend at all.
 */
export function steadyOrAll(points: readonly SeriesPoint[]): SeriesPoint[] {
  const steady = steadyState(points);
  return steady.length >= 3 ? steady : [...points];
}
