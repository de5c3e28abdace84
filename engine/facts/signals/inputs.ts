import type { GctraceLog } from '../../parse/gctrace/types.js';
import type { MemStatsSample } from '../../parse/memstats/types.js';
import type { NmtSummary } from '../../parse/nmt/types.js';
import type { HeapProfile } from '../../parse/pprof/types.js';
import type { ProcStatus, PsiSnapshot } from '../../parse/proc/types.js';
import { runningCgroup, type CgroupReading } from '../derive-cgroup.js';

export { runningCgroup };
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
 * Memory reclaim cannot drop without swap: anonymous pages plus shared memory (shmem: tmpfs, memfd,
 * System V and MAP_SHARED|MAP_ANONYMOUS segments, which are swap-backed like anonymous memory and
 * which neither v1 `rss` nor v2 `anon` counts — mm/shmem.c; Documentation/admin-guide/cgroup-v2.rst).
 */
export function processUnreclaimable(s: ProcStatus): number | undefined {
  return s.rssAnonBytes !== undefined ? s.rssAnonBytes + (s.rssShmemBytes ?? 0) : s.vmRssBytes;
}

/** The cgroup's counterpart of processUnreclaimable: memory.stat anon (v1 rss) plus shmem. */
export function cgroupUnreclaimable(c: CgroupReading): number | undefined {
  return c.stat.anonBytes !== undefined ? c.stat.anonBytes + (c.stat.shmemBytes ?? 0) : undefined;
}

/**
 * The process's anonymous and shared resident memory (RssAnon + RssShmem, else VmRSS), else the
 * cgroup's (anon + shmem) while the workload ran: one process per container makes them the same
 * memory. The `signal.anon*` facts read this series.
 */
export function anonSeries(inputs: SignalInputs): readonly SeriesPoint[] {
  return anonOf(inputs).series;
}

/**
 * anonSeries and which reader it came from, built once per set of inputs: the footprint, Go
 * resident, JVM growth and swap signals all read it.
 */
const anonCache = new WeakMap<SignalInputs, { series: readonly SeriesPoint[]; fromProcess: boolean }>();
function anonOf(inputs: SignalInputs): { series: readonly SeriesPoint[]; fromProcess: boolean } {
  let hit = anonCache.get(inputs);
  if (hit === undefined) {
    // The process's series when it has three readings or more, else the cgroup's.
    const fromProcess = seriesOf(inputs.statuses, (s) => s.ts, processUnreclaimable);
    hit =
      fromProcess.length >= 3
        ? { series: fromProcess, fromProcess: true }
        : {
            series: seriesOf(runningCgroup(inputs.cgroups), (c) => c.ts, cgroupUnreclaimable),
            fromProcess: false,
          };
    anonCache.set(inputs, hit);
  }
  return hit;
}

/**
 * Anonymous memory that was swapped out, from the same reader as anonSeries: the process's VmSwap
 * when anonSeries reads the process, else the cgroup's swap (v2 memory.swap.current, v1 memory.stat
 * `swap` with swap accounting). Empty when neither says: swap is then unknown, not zero.
 */
export function swapSeries(inputs: SignalInputs): SeriesPoint[] {
  return anonOf(inputs).fromProcess
    ? seriesOf(
        inputs.statuses,
        (s) => s.ts,
        (s) => s.vmSwapBytes,
      )
    : seriesOf(
        runningCgroup(inputs.cgroups),
        (c) => c.ts,
        (c) => c.swapBytes,
      );
}

/**
 * The points after start-up, when at least three remain; else all of them. A profile series taken
 * every 15 s over 45 s has three points, and dropping the first would leave no trend at all.
 */
export function steadyOrAll(points: readonly SeriesPoint[]): SeriesPoint[] {
  const steady = steadyState(points);
  return steady.length >= 3 ? steady : [...points];
}
