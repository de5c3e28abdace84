import type { JvmGcLog } from '../parse/jvm-gc/types.js';
import type { NmtSummary } from '../parse/nmt/types.js';
import type { ProcStatus } from '../parse/proc/types.js';
import { ratio, type DeriveContext } from './derive-context.js';
import { fitInto } from './derive-memstats.js';
import type { FactSetBuilder } from './fact-set-builder.js';
import { median, seriesOf, maxValue, minValue } from './series.js';

const HEAP = 'Java Heap';

/** Facts from NMT summaries: what the JVM commits outside its Java heap, and what grows. */
export function deriveNmt(
  summaries: readonly NmtSummary[],
  statuses: readonly ProcStatus[],
  ctx: DeriveContext,
  out: FactSetBuilder,
): void {
  const first = summaries[0];
  const last = summaries[summaries.length - 1];
  if (first === undefined || last === undefined) return;
  const committed = (s: NmtSummary, cat: string) => s.categories[cat]?.committedBytes;
  const offHeap = (s: NmtSummary) => {
    const heap = committed(s, HEAP);
    return heap === undefined ? undefined : s.total.committedBytes - heap;
  };
  // JDK 17+ reports Metaspace as its own category; JDK 11 accounts it under Class.
  const metaspaceCat = last.categories['Metaspace'] !== undefined ? 'Metaspace' : 'Class';
  const series = (pick: (s: NmtSummary) => number | undefined) => seriesOf(summaries, (s) => s.ts, pick);

  out.put('jvm.nmtSamples', summaries.length);
  out.put('jvm.nmtCommittedBytes', last.total.committedBytes);
  out.put('jvm.heapCommittedBytes', committed(last, HEAP));
  out.put('jvm.offHeapCommittedBytes', offHeap(last));
  const firstOff = offHeap(first);
  const lastOff = offHeap(last);
  if (summaries.length >= 2 && firstOff !== undefined && lastOff !== undefined) {
    out.put('jvm.offHeapGrowthBytes', lastOff - firstOff);
  }
  out.put('jvm.offHeapToLimitRatio', ratio(lastOff, ctx.limitBytes));
  out.put('jvm.metaspaceCommittedBytes', committed(last, metaspaceCat));
  out.put('jvm.classes', last.classes);
  out.put('jvm.threads', last.threads);
  out.put('jvm.directCommittedBytes', committed(last, 'Other'));

  const offHeapSeries = series(offHeap);
  fitInto(out, offHeapSeries, 'jvm.offHeapSlopeBytesPerSecond', 'jvm.offHeapTrendR2');
  const metaspace = series((s) => committed(s, metaspaceCat));
  fitInto(out, metaspace, 'jvm.metaspaceSlopeBytesPerSecond', 'jvm.metaspaceTrendR2');
  fitInto(
    out,
    series((s) => s.classes),
    'jvm.classesSlopePerSecond',
    'jvm.classesTrendR2',
  );
  fitInto(
    out,
    series((s) => s.threads),
    'jvm.threadsSlopePerSecond',
    'jvm.threadsTrendR2',
  );
  fitInto(
    out,
    series((s) => committed(s, 'Other')),
    'jvm.directSlopeBytesPerSecond',
    'jvm.directTrendR2',
  );

  if (summaries.length >= 2) {
    let best: { cat: string; growth: number } | undefined;
    for (const [cat, amount] of Object.entries(last.categories)) {
      if (cat === HEAP) continue;
      const growth = amount.committedBytes - (first.categories[cat]?.committedBytes ?? 0);
      if (best === undefined || growth > best.growth) best = { cat, growth };
    }
    if (best !== undefined && best.growth > 0) {
      out.put('jvm.topGrowingCategory', best.cat);
      out.put('jvm.topGrowingCategoryBytes', best.growth);
      out.series(
        `jvm.nmt.${best.cat}`,
        series((s) => committed(s, best.cat)),
      );
    }
  }
  out.series('jvm.offHeapCommittedBytes', offHeapSeries);

  const rss = statuses[statuses.length - 1]?.vmRssBytes;
  const heap = committed(last, HEAP);
  if (rss !== undefined && heap !== undefined) out.put('jvm.rssOutsideHeapBytes', rss - heap);
}

/** Facts from the unified GC log: after-GC heap trend, full GCs, time paused. */
export function deriveJvmGc(log: JvmGcLog, ctx: DeriveContext, out: FactSetBuilder): void {
  const events = log.events;
  if (events.length === 0) return;
  const t = (uptime: number | undefined) =>
    uptime === undefined ? undefined : (ctx.startMs ?? 0) + uptime * 1000;
  const after = seriesOf(
    events.filter(
      (e) =>
        e.kind.startsWith('Pause Young') ||
        e.kind.startsWith('Pause Full') ||
        e.kind === 'Garbage Collection',
    ),
    (e) => t(e.uptimeSeconds),
    (e) => e.afterBytes,
  );
  fitInto(out, after, 'jvm.heapAfterGcSlopeBytesPerSecond', 'jvm.heapAfterGcTrendR2');
  out.put('jvm.fullGcCount', events.filter((e) => e.kind.startsWith('Pause Full')).length);
  const times = events.flatMap((e) => (e.uptimeSeconds === undefined ? [] : [e.uptimeSeconds]));
  const span = times.length >= 2 ? maxValue(times)! - minValue(times)! : 0;
  const paused = events.reduce((sum, e) => sum + (e.kind.startsWith('Pause') ? (e.pauseMs ?? 0) : 0), 0);
  if (span > 0) out.put('jvm.gcPauseRatio', paused / 1000 / span);
  out.series('jvm.heapAfterGcBytes', after);

  // The later half of the log: a heap that has filled up collects back to back and frees nothing.
  if (span <= 0) return;
  const mid = minValue(times)! + span / 2;
  const late = events.filter((e) => e.uptimeSeconds !== undefined && e.uptimeSeconds >= mid);
  const lateSpan = maxValue(times)! - mid;
  const latePaused = late.reduce((sum, e) => sum + (e.kind.startsWith('Pause') ? (e.pauseMs ?? 0) : 0), 0);
  if (lateSpan > 0) out.put('jvm.gcPauseRatioRecent', latePaused / 1000 / lateSpan);
  out.put('jvm.fullGcCountRecent', late.filter((e) => e.kind.startsWith('Pause Full')).length);
  out.put(
    'jvm.heapAfterGcToCommittedRatio',
    median(
      late.flatMap((e) =>
        e.afterBytes !== undefined && e.committedBytes !== undefined && e.committedBytes > 0
          ? [e.afterBytes / e.committedBytes]
          : [],
      ),
    ),
  );
}
