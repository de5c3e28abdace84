import type { JvmMetrics } from '../parse/prom-text/jvm-metrics.js';
import { ratio, type DeriveContext } from './derive-context.js';
import { fitInto } from './derive-memstats.js';
import type { FactSetBuilder } from './fact-set-builder.js';
import { seriesOf } from './series.js';

/**
 * JVM facts from an exporter's metrics (Micrometer or client_java), for bundles without NMT. These
 * see the memory pools and buffer pools the JVM's MXBeans report, not NMT's full native accounting
 * (thread stacks, GC structures and the code cache's reservations are not in them), so the off-heap
 * facts are left to NMT and RSS outside the heap is the off-heap signal here.
 */
export function deriveJvmMetrics(
  samples: readonly { ts: number; value: JvmMetrics }[],
  ctx: DeriveContext,
  out: FactSetBuilder,
): void {
  const last = samples[samples.length - 1]?.value;
  if (last === undefined) return;
  const metaspace = (m: JvmMetrics) => m.pools['Metaspace']?.committedBytes;
  const direct = (m: JvmMetrics) =>
    m.bufferPools['direct']?.capacityBytes ?? m.bufferPools['direct']?.usedBytes;
  const series = (pick: (m: JvmMetrics) => number | undefined) =>
    seriesOf(
      samples,
      (s) => s.ts,
      (s) => pick(s.value),
    );

  out.put('jvm.heapCommittedBytes', last.heap.committedBytes);
  out.put('jvm.metaspaceCommittedBytes', metaspace(last));
  out.put('jvm.classes', last.classesLoaded);
  out.put('jvm.threads', last.threads.live);
  out.put('jvm.directCommittedBytes', direct(last));
  fitInto(out, series(metaspace), 'jvm.metaspaceSlopeBytesPerSecond', 'jvm.metaspaceTrendR2');
  fitInto(
    out,
    series((m) => m.classesLoaded),
    'jvm.classesSlopePerSecond',
    'jvm.classesTrendR2',
  );
  fitInto(
    out,
    series((m) => m.threads.live),
    'jvm.threadsSlopePerSecond',
    'jvm.threadsTrendR2',
  );
  fitInto(out, series(direct), 'jvm.directSlopeBytesPerSecond', 'jvm.directTrendR2');
  const outside = (m: JvmMetrics) =>
    m.processRssBytes !== undefined && m.heap.committedBytes !== undefined
      ? m.processRssBytes - m.heap.committedBytes
      : undefined;
  out.put('jvm.rssOutsideHeapBytes', outside(last));
  out.put('process.rssBytes', last.processRssBytes);
  out.put('process.rssToLimitRatio', ratio(last.processRssBytes, ctx.limitBytes));
}
