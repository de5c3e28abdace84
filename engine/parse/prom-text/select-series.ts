import type { ParseWarning } from '../types.js';
import type { PromExposition, PromSample } from './types.js';

/**
 * Picking series out of a parsed scrape for the mappers (promToCgroup, promToMemStats, …). A scrape may
 * hold many series of one metric (cAdvisor: one per container; federation: one per target); a mapper
 * must never silently pick one of several different values, so ambiguity leaves the field absent and
 * says which labels tell the series apart.
 */

/** Exact label matches, e.g. `{ container: 'orders-api', pod: 'orders-api-7d9f' }`. */
export type LabelFilter = Readonly<Record<string, string>>;

/** cAdvisor before Kubernetes 1.16 wrote `container_name` / `pod_name`; a filter on the new name matches both. */
const ALIASES: Readonly<Record<string, string>> = { container: 'container_name', pod: 'pod_name' };

/** The value of a label, falling back to its pre-1.16 cAdvisor alias. */
export function labelValue(labels: Readonly<Record<string, string>>, key: string): string | undefined {
  const direct = labels[key];
  if (direct !== undefined) return direct;
  const alias = ALIASES[key];
  return alias === undefined ? undefined : labels[alias];
}

/** True when every filter label has exactly the given value (a missing label reads as `""`, as in PromQL). */
export function matchesFilter(labels: Readonly<Record<string, string>>, filter?: LabelFilter): boolean {
  if (!filter) return true;
  for (const key of Object.keys(filter)) {
    if ((labelValue(labels, key) ?? '') !== filter[key]) return false;
  }
  return true;
}

const byNameCache = new WeakMap<PromExposition, Map<string, PromSample[]>>();

/** Samples with exactly this name (indexed once per exposition). */
export function samplesNamed(exp: PromExposition, name: string): readonly PromSample[] {
  let index = byNameCache.get(exp);
  if (!index) {
    index = new Map();
    for (const s of exp.samples) {
      const list = index.get(s.name);
      if (list) list.push(s);
      else index.set(s.name, [s]);
    }
    byNameCache.set(exp, index);
  }
  return index.get(name) ?? [];
}

/** Samples named `name` that match `filter` and carry a finite value (NaN/±Inf say "no reading"). */
export function selectSamples(exp: PromExposition, name: string, filter?: LabelFilter): PromSample[] {
  return samplesNamed(exp, name).filter((s) => Number.isFinite(s.value) && matchesFilter(s.labels, filter));
}

/** Label names whose values differ between the given samples. */
export function differingLabels(samples: readonly PromSample[], ignore: readonly string[] = []): string[] {
  const keys = new Set<string>();
  for (const s of samples) for (const k of Object.keys(s.labels)) keys.add(k);
  const first = samples[0];
  return [...keys]
    .filter(
      (k) => !ignore.includes(k) && samples.some((s) => (s.labels[k] ?? '') !== (first?.labels[k] ?? '')),
    )
    .sort();
}

function ambiguity(name: string, count: number, labels: string[], filter?: LabelFilter): ParseWarning {
  const shown = filter && Object.keys(filter).length > 0 ? ` ${JSON.stringify(filter)}` : '';
  const differ = labels.length > 0 ? `; they differ in ${labels.join(', ')}` : '';
  return {
    message: `${count} series of ${name} match${shown}${differ}: pass a label filter to choose one; left absent`,
  };
}

/**
 * The one value among `candidates` (already filtered). Several candidates are ambiguous even when
 * their values agree: two containers with the same failcnt are still two cgroups.
 */
export function pickOne(
  name: string,
  candidates: readonly PromSample[],
  warnings?: ParseWarning[],
  filter?: LabelFilter,
): number | undefined {
  if (candidates.length === 1) return candidates[0]?.value;
  if (candidates.length > 1)
    warnings?.push(ambiguity(name, candidates.length, differingLabels(candidates), filter));
  return undefined;
}

/**
 * Passes collected ambiguity warnings on, collapsed: several targets make every metric of a mapper
 * ambiguous the same way, and one line plus a count says that better than twenty.
 */
export function reportAmbiguity(
  collected: readonly ParseWarning[],
  warnings: ParseWarning[] | undefined,
): void {
  const [first] = collected;
  if (!first || !warnings) return;
  warnings.push(first);
  if (collected.length > 1) {
    warnings.push({
      message: `${collected.length - 1} more metrics are ambiguous the same way; left absent`,
    });
  }
}

/** The value of the one series `name` matching `filter` (see pickOne). */
export function singleValue(
  exp: PromExposition,
  name: string,
  filter?: LabelFilter,
  warnings?: ParseWarning[],
): number | undefined {
  return pickOne(name, selectSamples(exp, name, filter), warnings, filter);
}

/**
 * The sum over series of `name` that differ only in the `dimensions` labels (for example the `gc` or
 * `cause` of a GC-pause summary, or the `id` of a memory pool). Undefined when nothing matches, or when
 * the series also differ in other labels — several targets in one scrape — so that two processes are
 * never added up.
 */
export function sumOver(
  exp: PromExposition,
  name: string,
  filter: LabelFilter | undefined,
  dimensions: readonly string[],
  warnings?: ParseWarning[],
): number | undefined {
  const candidates = selectSamples(exp, name, filter);
  if (candidates.length === 0) return undefined;
  const others = differingLabels(candidates, dimensions);
  if (others.length > 0) {
    warnings?.push(ambiguity(name, candidates.length, others, filter));
    return undefined;
  }
  return candidates.reduce((sum, s) => sum + s.value, 0);
}
