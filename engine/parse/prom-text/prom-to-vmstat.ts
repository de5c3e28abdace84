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

/** Old kernels (zone LRU, before ~4.8) split scan/steal by zone; allocstall went the other way (~4.10). */
const ZONES = ['dma', 'dma32', 'normal', 'movable', 'device'];

function plainOrZoneSum(raw: Record<string, number>, key: string): number | undefined {
  const plain = raw[key];
  if (plain !== undefined) return plain;
  let found = false;
  let total = 0;
  for (const zone of ZONES) {
    const v = raw[`${key}_${zone}`];
    if (v !== undefined) {
      found = true;
      total += v;
    }
  }
  return found ? total : undefined;
}

/** The same normalisation as the /proc/vmstat parser: old and new kernel key names, one set of fields. */
function normalise(raw: Record<string, number>): VmstatSnapshot {
  const snap: VmstatSnapshot = { raw };
  const put = <K extends keyof VmstatSnapshot>(key: K, value: VmstatSnapshot[K] | undefined): void => {
    if (value !== undefined) snap[key] = value;
  };
  put('pgscanKswapd', plainOrZoneSum(raw, 'pgscan_kswapd'));
  put('pgscanDirect', plainOrZoneSum(raw, 'pgscan_direct'));
  put('pgstealKswapd', plainOrZoneSum(raw, 'pgsteal_kswapd'));
  put('pgstealDirect', plainOrZoneSum(raw, 'pgsteal_direct'));
  put('allocstall', plainOrZoneSum(raw, 'allocstall'));
  put('pgmajfault', raw['pgmajfault']);
  put('pgfault', raw['pgfault']);
  put('pgpgin', raw['pgpgin']);
  put('pgpgout', raw['pgpgout']);
  put('pswpin', raw['pswpin']);
  put('pswpout', raw['pswpout']);
  put('workingsetRefaultFile', raw['workingset_refault_file']);
  put('workingsetRefaultAnon', raw['workingset_refault_anon']);
  // ≤ 5.8 has one counter; 5.9+ splits it. A sum needs both halves (an exporter may filter one out).
  const file = raw['workingset_refault_file'];
  const anon = raw['workingset_refault_anon'];
  put(
    'workingsetRefault',
    raw['workingset_refault'] ?? (file !== undefined && anon !== undefined ? file + anon : undefined),
  );
  put('oomKill', raw['oom_kill']);
  return snap;
}

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
  return normalise(raw);
}
