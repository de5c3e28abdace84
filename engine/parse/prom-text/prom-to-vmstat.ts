import { normaliseVmstat } from '../proc/parse-vmstat.js';
import type { VmstatSnapshot } from '../proc/types.js';
import type { ParseWarning } from '../types.js';
import { matchesFilter, pickOne, reportAmbiguity, type LabelFilter } from './select-series.js';
import type { PromExposition, PromSample } from './types.js';

/**
 * /proc/vmstat from node_exporter's vmstat collector (node_exporter: collector/vmstat_linux.go):
 * `node_vmstat_<key>` (untyped) carries the raw /proc/vmstat value. By default node_exporter exports only
 * keys matching `^(oom_kill|pgpg|pswp|pg.*fault).*`; pgscan_*, pgsteal_*, allocstall_* and workingset_*
 * need `--collector.vmstat.fields` widened. Absent keys stay absent — never zero.
 */

const PREFIX = 'node_vmstat_';

/**
 * Maps node_vmstat_* to a VmstatSnapshot; undefined when the scrape has none. With several targets in
 * one scrape, pass `filter` (e.g. `{ instance: 'node-3:9100' }`); an ambiguous key is left out of `raw`
 * and reported in `warnings`.
 */
export function promToVmstat(
  exp: PromExposition,
  filter?: LabelFilter,
  warnings?: ParseWarning[],
): VmstatSnapshot | undefined {
  const byKey = new Map<string, PromSample[]>();
  for (const s of exp.samples) {
    if (!s.name.startsWith(PREFIX) || !Number.isFinite(s.value) || !matchesFilter(s.labels, filter)) continue;
    const key = s.name.slice(PREFIX.length);
    const list = byKey.get(key);
    if (list) list.push(s);
    else byKey.set(key, [s]);
  }
  if (byKey.size === 0) return undefined;
  const raw: Record<string, number> = {};
  const ambiguous: ParseWarning[] = [];
  for (const [key, candidates] of byKey) {
    const value = pickOne(`${PREFIX}${key}`, candidates, ambiguous, filter);
    if (value !== undefined) raw[key] = value;
  }
  reportAmbiguity(ambiguous, warnings);
  return normaliseVmstat(raw);
}
