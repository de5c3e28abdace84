import type { PromExposition } from '../prom-text/types.js';
import { reportAmbiguity, singleValue, type LabelFilter } from '../prom-text/select-series.js';
import type { ParseWarning } from '../types.js';
import type { MemStatsField, MemStatsFields, MemStatsSample } from './types.js';

/**
 * MemStats from a client_golang `/metrics` scrape (prometheus/client_golang: prometheus/go_collector.go,
 * go_collector_latest.go). Two name sets:
 *  - `go_memstats_*`: one metric per MemStats field (client_golang ≥ 1.12 fills them from runtime/metrics
 *    itself; older releases also had go_memstats_gc_cpu_fraction and go_memstats_lookups_total);
 *  - runtime/metrics names (`go_gc_*`, `go_memory_classes_*`), default or opt-in depending on the release.
 * `go_memstats_*` wins where both exist. Every mapping below is exact — the same counter, or the same
 * sum that runtime.ReadMemStats itself computes (golang/go: src/runtime/mstats.go readmemstats_m, and
 * src/runtime/metrics.go) — except the two noted as float-rounded. GCCPUFraction is not derived from
 * `/cpu/classes/*`: those are not the same quantity.
 */

/** `go_memstats_<suffix>` → MemStats field (go_collector.go goRuntimeMemStats, plus the two old ones). */
const MEMSTATS_NAMES: ReadonlyArray<[string, MemStatsField]> = [
  ['go_memstats_alloc_bytes', 'Alloc'],
  ['go_memstats_alloc_bytes_total', 'TotalAlloc'],
  ['go_memstats_sys_bytes', 'Sys'],
  ['go_memstats_mallocs_total', 'Mallocs'],
  ['go_memstats_frees_total', 'Frees'],
  ['go_memstats_heap_alloc_bytes', 'HeapAlloc'],
  ['go_memstats_heap_sys_bytes', 'HeapSys'],
  ['go_memstats_heap_idle_bytes', 'HeapIdle'],
  ['go_memstats_heap_inuse_bytes', 'HeapInuse'],
  ['go_memstats_heap_released_bytes', 'HeapReleased'],
  ['go_memstats_heap_objects', 'HeapObjects'],
  ['go_memstats_stack_inuse_bytes', 'StackInuse'],
  ['go_memstats_stack_sys_bytes', 'StackSys'],
  ['go_memstats_mspan_inuse_bytes', 'MSpanInuse'],
  ['go_memstats_mspan_sys_bytes', 'MSpanSys'],
  ['go_memstats_mcache_inuse_bytes', 'MCacheInuse'],
  ['go_memstats_mcache_sys_bytes', 'MCacheSys'],
  ['go_memstats_buck_hash_sys_bytes', 'BuckHashSys'],
  ['go_memstats_gc_sys_bytes', 'GCSys'],
  ['go_memstats_other_sys_bytes', 'OtherSys'],
  ['go_memstats_next_gc_bytes', 'NextGC'],
  ['go_memstats_gc_cpu_fraction', 'GCCPUFraction'], // client_golang < 1.12 only
];

/** runtime/metrics name → Prometheus name (client_golang's rule: `/a/b:unit` → `go_a_b_unit`, `_total` if cumulative). */
const RM = {
  heapObjectsBytes: 'go_memory_classes_heap_objects_bytes', // /memory/classes/heap/objects:bytes
  heapUnused: 'go_memory_classes_heap_unused_bytes',
  heapFree: 'go_memory_classes_heap_free_bytes',
  heapReleased: 'go_memory_classes_heap_released_bytes',
  heapStacks: 'go_memory_classes_heap_stacks_bytes',
  osStacks: 'go_memory_classes_os_stacks_bytes',
  mspanInuse: 'go_memory_classes_metadata_mspan_inuse_bytes',
  mspanFree: 'go_memory_classes_metadata_mspan_free_bytes',
  mcacheInuse: 'go_memory_classes_metadata_mcache_inuse_bytes',
  mcacheFree: 'go_memory_classes_metadata_mcache_free_bytes',
  buckets: 'go_memory_classes_profiling_buckets_bytes',
  metadataOther: 'go_memory_classes_metadata_other_bytes',
  other: 'go_memory_classes_other_bytes',
  total: 'go_memory_classes_total_bytes',
  allocsBytes: 'go_gc_heap_allocs_bytes_total', // /gc/heap/allocs:bytes
  allocsObjects: 'go_gc_heap_allocs_objects_total',
  freesObjects: 'go_gc_heap_frees_objects_total',
  tinyAllocs: 'go_gc_heap_tiny_allocs_objects_total',
  heapObjects: 'go_gc_heap_objects_objects', // /gc/heap/objects:objects
  heapGoal: 'go_gc_heap_goal_bytes', // /gc/heap/goal:bytes (= gcController.heapGoal(), like NextGC)
  cyclesTotal: 'go_gc_cycles_total_gc_cycles_total',
  cyclesForced: 'go_gc_cycles_forced_gc_cycles_total',
} as const;

/** Sum of parts when every part is present (a partial sum would be a wrong number, not an estimate). */
function sum(...parts: Array<number | undefined>): number | undefined {
  let total = 0;
  for (const p of parts) {
    if (p === undefined) return undefined;
    total += p;
  }
  return total;
}

/**
 * Maps a client_golang scrape to a MemStats sample. Undefined when the scrape has no Go runtime metric.
 * `filter` picks one target when the scrape holds several (e.g. `{ instance: '10.0.0.7:8080' }`);
 * `warnings` receives a note when metrics are left absent because several series matched.
 */
export function promToMemStats(
  exp: PromExposition,
  filter?: LabelFilter,
  warnings?: ParseWarning[],
): MemStatsSample | undefined {
  const ambiguous: ParseWarning[] = [];
  const get = (name: string): number | undefined => singleValue(exp, name, filter, ambiguous);
  const stats: Partial<MemStatsFields> = {};
  const set = (field: MemStatsField, value: number | undefined): void => {
    if (value !== undefined && value >= 0 && stats[field] === undefined) stats[field] = value;
  };
  for (const [name, field] of MEMSTATS_NAMES) set(field, get(name));

  // go_gc_duration_seconds is built from debug.ReadGCStats: _count = NumGC, _sum = PauseTotal (both
  // straight from memstats.numgc / pause_total_ns). PauseTotalNs is float64 seconds × 1e9: exact to ~1 ns.
  set('NumGC', get('go_gc_duration_seconds_count'));
  const pauseSeconds = get('go_gc_duration_seconds_sum');
  if (pauseSeconds !== undefined) set('PauseTotalNs', Math.round(pauseSeconds * 1e9));
  // Approximation: float64 epoch seconds carry ~0.2 µs of precision, so LastGC is right to about 1 µs.
  const lastGcSeconds = get('go_memstats_last_gc_time_seconds');
  if (lastGcSeconds !== undefined) set('LastGC', Math.round(lastGcSeconds * 1e9));

  // runtime/metrics: the identities of readmemstats_m (and client_golang's memStatsFromRM).
  const objects = get(RM.heapObjectsBytes);
  const unused = get(RM.heapUnused);
  const free = get(RM.heapFree);
  const released = get(RM.heapReleased);
  const stacks = get(RM.heapStacks);
  const mspanInuse = get(RM.mspanInuse);
  const mcacheInuse = get(RM.mcacheInuse);
  const tiny = get(RM.tinyAllocs);
  set('HeapAlloc', objects);
  set('Alloc', objects);
  set('HeapInuse', sum(objects, unused));
  set('HeapReleased', released);
  set('HeapIdle', sum(released, free));
  set('HeapSys', sum(objects, unused, free, released));
  set('StackInuse', stacks);
  set('StackSys', sum(stacks, get(RM.osStacks)));
  set('MSpanInuse', mspanInuse);
  set('MSpanSys', sum(mspanInuse, get(RM.mspanFree)));
  set('MCacheInuse', mcacheInuse);
  set('MCacheSys', sum(mcacheInuse, get(RM.mcacheFree)));
  set('BuckHashSys', get(RM.buckets));
  set('GCSys', get(RM.metadataOther));
  set('OtherSys', get(RM.other));
  set('Sys', get(RM.total));
  set('TotalAlloc', get(RM.allocsBytes));
  // MemStats counts tiny allocations in both Mallocs and Frees (mstats.go: "nFree += tinyAllocCount").
  set('Mallocs', sum(get(RM.allocsObjects), tiny));
  set('Frees', sum(get(RM.freesObjects), tiny));
  set('HeapObjects', get(RM.heapObjects));
  set('NextGC', get(RM.heapGoal));
  set('NumGC', get(RM.cyclesTotal));
  set('NumForcedGC', get(RM.cyclesForced));

  const sample: MemStatsSample = { stats };
  // go_goroutines = runtime.NumGoroutine() = gcount(); /sched/goroutines:goroutines reads gcount() too.
  const goroutines = get('go_goroutines') ?? get('go_sched_goroutines_goroutines');
  if (goroutines !== undefined) sample.goroutines = goroutines;
  const memoryLimit = get('go_gc_gomemlimit_bytes'); // /gc/gomemlimit:bytes, Go 1.21+ (GOMEMLIMIT itself is 1.19+)
  if (memoryLimit !== undefined) sample.memoryLimitBytes = memoryLimit;
  const gogc = get('go_gc_gogc_percent'); // /gc/gogc:percent, Go 1.21+
  if (gogc !== undefined) sample.gogcPercent = gogc;

  const found =
    Object.keys(stats).length > 0 ||
    sample.goroutines !== undefined ||
    sample.memoryLimitBytes !== undefined ||
    sample.gogcPercent !== undefined;
  reportAmbiguity(ambiguous, warnings);
  return found ? sample : undefined;
}
