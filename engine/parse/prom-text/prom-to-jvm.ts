import type { ParseWarning } from '../types.js';
import type { JvmBufferPool, JvmGcTotals, JvmMemoryPool, JvmMemoryUsage, JvmMetrics } from './jvm-metrics.js';
import {
  pickOne,
  reportAmbiguity,
  selectSamples,
  singleValue,
  sumOver,
  type LabelFilter,
} from './select-series.js';
import type { PromExposition, PromSample } from './types.js';

/**
 * JVM metrics from the two common exporters. Names, and where they come from:
 *  - Micrometer (micrometer-metrics/micrometer: JvmMemoryMetrics, JvmThreadMetrics, ClassLoaderMetrics,
 *    JvmGcMetrics; meter `jvm.memory.used` → `jvm_memory_used_bytes`): per-pool
 *    `jvm_memory_{used,committed,max}_bytes{area,id}`, `jvm_buffer_memory_used_bytes{id}`,
 *    `jvm_buffer_total_capacity_bytes{id}`, `jvm_buffer_count_buffers{id}`, `jvm_threads_{live,daemon,peak}_threads`,
 *    `jvm_classes_loaded_classes`, `jvm_gc_pause_seconds_{count,sum}{action,cause[,gc]}`.
 *  - prometheus/client_java 0.x simpleclient_hotspot (MemoryPoolsExports, BufferPoolsExports, ThreadExports,
 *    ClassLoadingExports, GarbageCollectorExports, StandardExports): `jvm_memory_bytes_{used,committed,max}{area}`,
 *    `jvm_memory_pool_bytes_{used,committed,max}{pool}`, `jvm_buffer_pool_{used_bytes,capacity_bytes,used_buffers}{pool}`,
 *    `jvm_threads_{current,daemon,peak}`, `jvm_classes_currently_loaded` (older: gauge `jvm_classes_loaded`),
 *    `jvm_gc_collection_seconds_{count,sum}{gc}`, `process_resident_memory_bytes`.
 *  - client_java 1.x prometheus-metrics-instrumentation-jvm (JvmMemoryMetrics, …): `jvm_memory_{used,committed,max}_bytes{area}`
 *    (same name as Micrometer, but no `id` label), `jvm_memory_pool_{used,committed,max}_bytes{pool}`, the rest as 0.x.
 */

const MICROMETER_ONLY = [
  'jvm_threads_live_threads',
  'jvm_buffer_memory_used_bytes',
  'jvm_classes_loaded_classes',
  'jvm_gc_pause_seconds_count',
];
const CLIENT_JAVA_ONLY = [
  'jvm_memory_bytes_used',
  'jvm_memory_pool_bytes_used',
  'jvm_memory_pool_used_bytes',
  'jvm_threads_current',
  'jvm_buffer_pool_used_bytes',
  'jvm_gc_collection_seconds_count',
];

const hasId = (s: PromSample): boolean => s.labels['id'] !== undefined;

/** A -1 max (MemoryUsage: "undefined") or a missing reading → absent. */
function nonNegative(v: number | undefined): number | undefined {
  return v === undefined || v < 0 ? undefined : v;
}

function usage(used?: number, committed?: number, max?: number): JvmMemoryUsage {
  const u: JvmMemoryUsage = {};
  if (used !== undefined) u.usedBytes = used;
  if (committed !== undefined) u.committedBytes = committed;
  const m = nonNegative(max);
  if (m !== undefined) u.maxBytes = m;
  return u;
}

function distinct(samples: readonly PromSample[], label: string): string[] {
  return [...new Set(samples.map((s) => s.labels[label]).filter((v): v is string => v !== undefined))].sort();
}

interface Ctx {
  exp: PromExposition;
  filter: LabelFilter | undefined;
  warnings: ParseWarning[];
}

/** The value of `name` for one label value, optionally keeping only samples that pass `keep`. */
function one(
  ctx: Ctx,
  name: string,
  extra: LabelFilter,
  keep?: (s: PromSample) => boolean,
): number | undefined {
  const filter = { ...ctx.filter, ...extra };
  const list = selectSamples(ctx.exp, name, filter).filter((s) => !keep || keep(s));
  return pickOne(name, list, ctx.warnings, filter);
}

function micrometerMemory(ctx: Ctx, out: JvmMetrics): void {
  const pools = selectSamples(ctx.exp, 'jvm_memory_used_bytes', ctx.filter).filter(hasId);
  for (const id of distinct(pools, 'id')) {
    const area = pools.find((s) => s.labels['id'] === id)?.labels['area'];
    const pool: JvmMemoryPool = usage(
      one(ctx, 'jvm_memory_used_bytes', { id }),
      one(ctx, 'jvm_memory_committed_bytes', { id }),
      one(ctx, 'jvm_memory_max_bytes', { id }),
    );
    if (area === 'heap' || area === 'nonheap') pool.area = area;
    out.pools[id] = pool;
  }
  for (const area of ['heap', 'nonheap'] as const) {
    const inArea = Object.values(out.pools).filter((p) => p.area === area);
    const sum = (name: string): number | undefined =>
      sumOver(ctx.exp, name, { ...ctx.filter, area }, ['id'], ctx.warnings);
    // MemoryMXBean's heap/non-heap usage is what the pools add up to; Micrometer exports only pools.
    // Max is an approximation: heap = sum of the pools that define one (G1: Old Gen = -Xmx; Parallel:
    // Eden + Survivor + Old, one survivor more than Runtime.maxMemory()); non-heap only when every pool
    // defines one (Metaspace is usually unlimited, so usually absent).
    const maxes = inArea.map((p) => p.maxBytes);
    const defined = maxes.filter((m): m is number => m !== undefined);
    const max =
      area === 'heap'
        ? defined.length > 0
          ? defined.reduce((a, b) => a + b, 0)
          : undefined
        : defined.length === maxes.length && maxes.length > 0
          ? defined.reduce((a, b) => a + b, 0)
          : undefined;
    const u = usage(sum('jvm_memory_used_bytes'), sum('jvm_memory_committed_bytes'), max);
    if (area === 'heap') out.heap = u;
    else out.nonHeap = u;
  }
}

function clientJavaMemory(ctx: Ctx, out: JvmMetrics): void {
  const noId = (s: PromSample): boolean => !hasId(s);
  // 1.x name first, then the 0.x name.
  const area = (suffix: 'used' | 'committed' | 'max', a: string): number | undefined =>
    one(ctx, `jvm_memory_${suffix}_bytes`, { area: a }, noId) ??
    one(ctx, `jvm_memory_bytes_${suffix}`, { area: a });
  out.heap = usage(area('used', 'heap'), area('committed', 'heap'), area('max', 'heap'));
  out.nonHeap = usage(area('used', 'nonheap'), area('committed', 'nonheap'), area('max', 'nonheap'));
  const poolSamples = [
    ...selectSamples(ctx.exp, 'jvm_memory_pool_used_bytes', ctx.filter),
    ...selectSamples(ctx.exp, 'jvm_memory_pool_bytes_used', ctx.filter),
  ];
  for (const pool of distinct(poolSamples, 'pool')) {
    const get = (suffix: 'used' | 'committed' | 'max'): number | undefined =>
      one(ctx, `jvm_memory_pool_${suffix}_bytes`, { pool }) ??
      one(ctx, `jvm_memory_pool_bytes_${suffix}`, { pool });
    out.pools[pool] = usage(get('used'), get('committed'), get('max'));
  }
}

function bufferPools(ctx: Ctx, micrometer: boolean): Record<string, JvmBufferPool> {
  const [label, used, capacity, count] = micrometer
    ? ['id', 'jvm_buffer_memory_used_bytes', 'jvm_buffer_total_capacity_bytes', 'jvm_buffer_count_buffers']
    : [
        'pool',
        'jvm_buffer_pool_used_bytes',
        'jvm_buffer_pool_capacity_bytes',
        'jvm_buffer_pool_used_buffers',
      ];
  const out: Record<string, JvmBufferPool> = {};
  for (const name of distinct(selectSamples(ctx.exp, used, ctx.filter), label)) {
    const pool: JvmBufferPool = {};
    const u = one(ctx, used, { [label]: name });
    const c = one(ctx, capacity, { [label]: name });
    const n = one(ctx, count, { [label]: name });
    if (u !== undefined) pool.usedBytes = u;
    if (c !== undefined) pool.capacityBytes = c;
    if (n !== undefined) pool.count = n;
    out[name] = pool;
  }
  return out;
}

function gcTotals(ctx: Ctx, micrometer: boolean): JvmGcTotals | undefined {
  const [base, dims, kind] = micrometer
    ? (['jvm_gc_pause_seconds', ['action', 'cause', 'gc'], 'pause'] as const)
    : (['jvm_gc_collection_seconds', ['gc'], 'collection'] as const);
  const count = sumOver(ctx.exp, `${base}_count`, ctx.filter, dims, ctx.warnings);
  const seconds = sumOver(ctx.exp, `${base}_sum`, ctx.filter, dims, ctx.warnings);
  return count === undefined || seconds === undefined ? undefined : { count, seconds, kind };
}

/**
 * Maps a JVM scrape (Micrometer or client_java) to JvmMetrics; undefined when it has no JVM metric.
 * `filter` picks one application/instance when the scrape holds several.
 */
export function promToJvm(
  exp: PromExposition,
  filter?: LabelFilter,
  warnings?: ParseWarning[],
): JvmMetrics | undefined {
  const ambiguous: ParseWarning[] = [];
  const ctx: Ctx = { exp, filter, warnings: ambiguous };
  const present = (name: string): boolean => selectSamples(exp, name, filter).length > 0;
  const micrometer =
    MICROMETER_ONLY.some(present) || selectSamples(exp, 'jvm_memory_used_bytes', filter).some(hasId);
  if (!micrometer && !CLIENT_JAVA_ONLY.some(present) && !present('jvm_memory_used_bytes')) return undefined;

  const out: JvmMetrics = {
    scheme: micrometer ? 'micrometer' : 'client_java',
    heap: {},
    nonHeap: {},
    pools: {},
    bufferPools: bufferPools(ctx, micrometer),
    threads: {},
  };
  if (micrometer) micrometerMemory(ctx, out);
  else clientJavaMemory(ctx, out);

  const get = (name: string): number | undefined => singleValue(exp, name, filter, ambiguous);
  const live = micrometer ? get('jvm_threads_live_threads') : get('jvm_threads_current');
  const daemon = micrometer ? get('jvm_threads_daemon_threads') : get('jvm_threads_daemon');
  const peak = micrometer ? get('jvm_threads_peak_threads') : get('jvm_threads_peak');
  if (live !== undefined) out.threads.live = live;
  if (daemon !== undefined) out.threads.daemon = daemon;
  if (peak !== undefined) out.threads.peak = peak;

  // Old simpleclient's gauge `jvm_classes_loaded`; in OpenMetrics that name is the counter family of
  // `jvm_classes_loaded_total` (total ever loaded), which must not be read as "currently loaded".
  const oldGauge =
    exp.families.get('jvm_classes_loaded')?.type === 'counter' ? undefined : get('jvm_classes_loaded');
  const classes = micrometer
    ? get('jvm_classes_loaded_classes')
    : (get('jvm_classes_currently_loaded') ?? oldGauge);
  if (classes !== undefined) out.classesLoaded = classes;

  const gc = gcTotals(ctx, micrometer);
  if (gc) out.gc = gc;
  const rss = get('process_resident_memory_bytes');
  if (rss !== undefined) out.processRssBytes = rss;
  reportAmbiguity(ambiguous, warnings);
  return out;
}
