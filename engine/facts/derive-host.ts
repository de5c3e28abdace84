import type { MemStatsSample } from '../parse/memstats/types.js';
import type { ProcStatus, PsiLine, VmstatSnapshot } from '../parse/proc/types.js';
import { ratio, type DeriveContext } from './derive-context.js';
import { fitInto } from './derive-memstats.js';
import type { FactSetBuilder } from './fact-set-builder.js';
import { counterRate, median, nearestWithin, secondHalf, seriesOf, maxValue } from './series.js';

/** Host-wide reclaim counters from /proc/vmstat readings. */
export function deriveVmstat(snapshots: readonly VmstatSnapshot[], out: FactSetBuilder): void {
  const rate = (pick: (s: VmstatSnapshot) => number | undefined) =>
    counterRate(seriesOf(snapshots, (s) => s.ts, pick));
  out.put(
    'vmstat.pgscanKswapdPerSecond',
    rate((s) => s.pgscanKswapd),
  );
  out.put(
    'vmstat.pgscanDirectPerSecond',
    rate((s) => s.pgscanDirect),
  );
  out.put(
    'vmstat.pgstealKswapdPerSecond',
    rate((s) => s.pgstealKswapd),
  );
  out.put(
    'vmstat.pgstealDirectPerSecond',
    rate((s) => s.pgstealDirect),
  );
  out.put(
    'vmstat.allocstallPerSecond',
    rate((s) => s.allocstall),
  );
  out.put(
    'vmstat.pgmajfaultPerSecond',
    rate((s) => s.pgmajfault),
  );
  out.put(
    'vmstat.workingsetRefaultPerSecond',
    rate((s) => s.workingsetRefault ?? sumDefined(s.workingsetRefaultFile, s.workingsetRefaultAnon)),
  );
  out.put(
    'vmstat.pswpinPerSecond',
    rate((s) => s.pswpin),
  );
}

/** A PSI reading: the raw file has averages and totals; an exporter (node_exporter) only totals. */
export interface PsiReading {
  ts?: number;
  some?: Partial<PsiLine>;
  full?: Partial<PsiLine>;
}

/** Host-wide memory pressure from /proc/pressure/memory readings. */
export function derivePsi(snapshots: readonly PsiReading[], out: FactSetBuilder): void {
  out.put('psi.someAvg10MaxPercent', maxValue(snapshots.map((s) => s.some?.avg10)));
  out.put('psi.fullAvg10MaxPercent', maxValue(snapshots.map((s) => s.full?.avg10)));
  const stall = counterRate(
    seriesOf(
      snapshots,
      (s) => s.ts,
      (s) => s.some?.totalMicros,
    ),
  );
  out.put('psi.someStallRatio', stall === undefined ? undefined : stall / 1e6);
}

/** The process's resident memory from /proc/<pid>/status readings, and how it relates to the Go heap. */
export function deriveProcess(
  statuses: readonly ProcStatus[],
  memstats: readonly MemStatsSample[],
  ctx: DeriveContext,
  out: FactSetBuilder,
): void {
  const last = statuses[statuses.length - 1];
  if (last === undefined) return;
  const rss = seriesOf(
    statuses,
    (s) => s.ts,
    (s) => s.vmRssBytes,
  );
  const peak = maxValue([0, ...statuses.map((s) => Math.max(s.vmRssBytes ?? 0, s.vmHwmBytes ?? 0))])!;
  out.put('process.rssBytes', last.vmRssBytes);
  if (peak > 0) out.put('process.rssMaxBytes', peak);
  out.put('process.rssToLimitRatio', peak > 0 ? ratio(peak, ctx.limitBytes) : undefined);
  out.put('process.rssFileBytes', last.rssFileBytes);
  out.put('process.rssFileToRssRatio', ratio(last.rssFileBytes, last.vmRssBytes));
  out.put('process.threads', last.threads);
  fitInto(out, rss, 'process.rssSlopeBytesPerSecond', 'process.rssTrendR2');
  out.series('process.rssBytes', rss);

  // RSS per byte of Go heap objects, pairing each RSS reading with the MemStats sample nearest in time.
  const heap = seriesOf(
    memstats,
    (m) => m.ts,
    (m) => m.stats.HeapAlloc,
  );
  if (heap.length === 0) return;
  const pairs = secondHalf(rss).flatMap((p) => {
    const near = nearestWithin(heap, p.t, 2000, (x) => x.t);
    return near !== undefined && near.v > 0 ? [p.v / near.v] : [];
  });
  out.put('process.rssToGoHeapRatio', median(pairs));
}

function sumDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}
