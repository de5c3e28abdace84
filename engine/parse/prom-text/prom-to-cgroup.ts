import type { CgroupSnapshot, CgroupStat } from '../cgroup/types.js';
import type { ParseWarning } from '../types.js';
import { psiTotalsFromSeconds, type PsiTotals } from './prom-to-psi.js';
import {
  labelValue,
  matchesFilter,
  pickOne,
  reportAmbiguity,
  selectSamples,
  type LabelFilter,
} from './select-series.js';
import type { PromExposition, PromSample } from './types.js';

/**
 * A memory cgroup as cAdvisor (or the kubelet's `/metrics/cadvisor`) exports it
 * (google/cadvisor: metrics/prometheus.go, docs/storage/prometheus.md). cAdvisor does not say whether
 * the host runs cgroup v1 or v2, so `version` is absent; `rawStat` is absent because cAdvisor exports
 * a handful of memory.stat keys, not the file.
 */
export interface PromCgroupSnapshot extends Partial<Omit<CgroupSnapshot, 'stat' | 'pressure'>> {
  stat: CgroupStat;
  /**
   * `container_memory_working_set_bytes`: usage − inactive_file (v1 `total_inactive_file`), floored at 0.
   * What the kubelet evicts on. Proposed as an optional CgroupSnapshot field (raw cgroup readers can
   * compute it the same way).
   */
  workingSetBytes?: number;
  /** `container_pressure_memory_{waiting,stalled}_seconds_total` (newer cAdvisor on PSI kernels): totals only. */
  pressureTotals?: PsiTotals;
}

/** v1 PAGE_COUNTER_MAX rounded to pages, as cAdvisor versions that do not map "unlimited" to 0 report it. */
const UNLIMITED_FLOOR = 2 ** 62;

/**
 * The series cAdvisor writes for one container. The pause/sandbox container (`container="POD"`) is never
 * wanted. Unless the filter names a container, a pod-level cgroup (`container=""`) gives way to the
 * containers under it: with `{ pod: 'x' }` and one app container, that container is meant.
 */
function candidates(
  exp: PromExposition,
  name: string,
  filter?: LabelFilter,
  extra?: LabelFilter,
): PromSample[] {
  let list = selectSamples(exp, name, filter).filter(
    (s) => matchesFilter(s.labels, extra) && labelValue(s.labels, 'container') !== 'POD',
  );
  if (
    filter?.['container'] === undefined &&
    list.some((s) => (labelValue(s.labels, 'container') ?? '') !== '')
  ) {
    list = list.filter((s) => (labelValue(s.labels, 'container') ?? '') !== '');
  }
  return list;
}

/**
 * Maps cAdvisor container metrics to a partial CgroupSnapshot; undefined when no container_memory_*
 * series matches. `filter` selects the container (`{ container: 'orders-api', pod: 'orders-api-7d9f' }`,
 * or `{ name: '…' }` / `{ id: '/docker/…' }` outside Kubernetes); a field whose series stay ambiguous is
 * left absent and named in `warnings`.
 */
export function promToCgroup(
  exp: PromExposition,
  filter?: LabelFilter,
  warnings?: ParseWarning[],
): PromCgroupSnapshot | undefined {
  const ambiguous: ParseWarning[] = [];
  const get = (name: string, extra?: LabelFilter): number | undefined =>
    pickOne(name, candidates(exp, name, filter, extra), ambiguous, filter);
  const failures = (type: string): number | undefined => {
    // Label `failure_type` in cAdvisor; some forks wrote `type`. scope="container" reads the cgroup's own
    // memory.stat pgfault/pgmajfault (cAdvisor sets the "hierarchy" scope from the same key).
    return (
      get('container_memory_failures_total', { failure_type: type, scope: 'container' }) ??
      get('container_memory_failures_total', { type, scope: 'container' })
    );
  };

  const snap: PromCgroupSnapshot = { stat: {} };
  let found = false;
  const put = <K extends keyof PromCgroupSnapshot>(
    key: K,
    value: PromCgroupSnapshot[K] | undefined,
  ): void => {
    if (value === undefined) return;
    snap[key] = value;
    found = true;
  };
  const putStat = <K extends keyof CgroupStat>(key: K, value: CgroupStat[K] | undefined): void => {
    if (value === undefined) return;
    snap.stat[key] = value;
    found = true;
  };

  put('usageBytes', get('container_memory_usage_bytes')); // memory.usage_in_bytes / memory.current
  put('workingSetBytes', get('container_memory_working_set_bytes'));
  const limit = get('container_spec_memory_limit_bytes');
  // 0 means "no limit" in cAdvisor's spec; very old releases passed v1's huge PAGE_COUNTER_MAX through.
  if (limit !== undefined) put('limitBytes', limit === 0 || limit >= UNLIMITED_FLOOR ? null : limit);
  put('peakBytes', get('container_memory_max_usage_bytes')); // max_usage_in_bytes / memory.peak
  put('failcnt', get('container_memory_failcnt')); // v1 memory.failcnt
  // Approximation: cAdvisor counts OOM kills it saw in the kernel log (/dev/kmsg) since cAdvisor started,
  // not the cgroup's memory.events oom_kill; a restart of cAdvisor or a missed line makes it lower.
  put('oomKills', get('container_oom_events_total'));
  putStat('anonBytes', get('container_memory_rss')); // v1 total_rss / v2 anon
  putStat('fileBytes', get('container_memory_cache')); // v1 total_cache / v2 file
  putStat('fileMappedBytes', get('container_memory_mapped_file')); // v1 total_mapped_file / v2 file_mapped
  putStat('pgfault', failures('pgfault'));
  putStat('pgmajfault', failures('pgmajfault'));
  put(
    'pressureTotals',
    psiTotalsFromSeconds(
      get('container_pressure_memory_waiting_seconds_total'), // memory.pressure `some` total
      get('container_pressure_memory_stalled_seconds_total'), // memory.pressure `full` total
    ),
  );
  reportAmbiguity(ambiguous, warnings);
  return found ? snap : undefined;
}
