import type { ParseResult } from '../types.js';
import { parseFlatKeyed, pushWarning } from './parse-flat-keyed.js';
import type { VmstatSnapshot } from './types.js';

/**
 * Zone suffixes of the per-zone counters (kernel mm/vmstat.c, TEXTS_FOR_ZONES: dma, dma32,
 * normal, highmem as `high`, movable, device). Listed explicitly because other keys share the
 * prefixes: `pgscan_direct_throttle` is not a zone, nor is `pgscan_khugepaged`.
 */
const ZONES = ['dma', 'dma32', 'normal', 'high', 'movable', 'device'] as const;

/**
 * Parse /proc/vmstat (`key value` per line; counters since boot, in pages except
 * pgpgin/pgpgout in KiB) and normalise the names that changed across kernels:
 * - pgscan/pgsteal_{kswapd,direct}: per zone before 4.8 (zone LRU), per node since; the
 *   per-zone values are summed.
 * - allocstall: one counter before 4.10, per zone (`allocstall_normal`, …) since; summed.
 * - workingset_refault: one counter up to 5.8; split into `_anon`/`_file` in 5.9 when anon
 *   pages got workingset detection. Before 5.9 only page-cache pages left shadow entries, so
 *   the old counter is also reported as the file refault count.
 * A counter a kernel does not print stays absent (never zero).
 */
export function parseVmstat(text: string, ts?: number): ParseResult<VmstatSnapshot> {
  const flat = parseFlatKeyed(text, 'vmstat');
  const warnings = [...flat.warnings];
  for (const key of Object.keys(flat.oversized)) {
    pushWarning(
      warnings,
      { message: `vmstat: ${key} = ${flat.oversized[key]} exceeds 2^53 and was dropped` },
      'vmstat',
    );
  }
  const raw = flat.values;
  if (Object.keys(raw).length === 0 && Object.keys(flat.oversized).length === 0) {
    warnings.push({ message: 'vmstat: no counters found' });
  }

  const value = normaliseVmstat(raw);
  if (ts !== undefined) value.ts = ts;
  return { value, warnings };
}

/**
 * One set of fields from raw /proc/vmstat keys, whichever kernel printed them (see parseVmstat).
 * Shared with the node_exporter mapper, whose `node_vmstat_<key>` carries the same raw keys.
 * The refault total needs both halves on 5.9+: an exporter may filter one of them out.
 */
export function normaliseVmstat(raw: Record<string, number>): VmstatSnapshot {
  const value: VmstatSnapshot = { raw };
  const set = <K extends keyof VmstatSnapshot>(k: K, v: VmstatSnapshot[K] | undefined): void => {
    if (v !== undefined) value[k] = v;
  };
  set('pgscanKswapd', raw['pgscan_kswapd'] ?? sumZones(raw, 'pgscan_kswapd_'));
  set('pgscanDirect', raw['pgscan_direct'] ?? sumZones(raw, 'pgscan_direct_'));
  set('pgstealKswapd', raw['pgsteal_kswapd'] ?? sumZones(raw, 'pgsteal_kswapd_'));
  set('pgstealDirect', raw['pgsteal_direct'] ?? sumZones(raw, 'pgsteal_direct_'));
  set('allocstall', raw['allocstall'] ?? sumZones(raw, 'allocstall_'));
  set('pgmajfault', raw['pgmajfault']);
  set('pgfault', raw['pgfault']);
  set('pgpgin', raw['pgpgin']);
  set('pgpgout', raw['pgpgout']);
  set('pswpin', raw['pswpin']);
  set('pswpout', raw['pswpout']);
  set('oomKill', raw['oom_kill']);

  const file = raw['workingset_refault_file'];
  const anon = raw['workingset_refault_anon'];
  if (raw['workingset_refault'] !== undefined) {
    set('workingsetRefault', raw['workingset_refault']);
    set('workingsetRefaultFile', file ?? raw['workingset_refault']);
  } else {
    if (file !== undefined && anon !== undefined) set('workingsetRefault', file + anon);
    set('workingsetRefaultFile', file);
  }
  set('workingsetRefaultAnon', anon);
  return value;
}

/** Sum `<prefix><zone>` over the known zones; undefined when no zone key is present. */
function sumZones(raw: Record<string, number>, prefix: string): number | undefined {
  let sum: number | undefined;
  for (const zone of ZONES) {
    const v = raw[prefix + zone];
    if (v !== undefined) sum = (sum ?? 0) + v;
  }
  return sum;
}
