import { parseFlatKeyed, pushWarning } from '../proc/parse-flat-keyed.js';
import type { ParseResult, ParseWarning } from '../types.js';
import { limitFromDigits } from './cgroup-values.js';
import type { CgroupStat } from './types.js';

export interface CgroupStatRead {
  stat: CgroupStat;
  /** Every key as read (values that fit a JS number exactly). */
  raw: Record<string, number>;
  /** Keys whose values exceed 2^53, as decimal text. */
  oversized: Record<string, string>;
  /** v1 `hierarchical_memory_limit` (null = unlimited); absent in v2 and when not printed. */
  hierarchicalLimitBytes?: number | null;
}

type Field = keyof CgroupStat;

/**
 * v1 memory.stat names (Documentation/admin-guide/cgroup-v1/memory.rst §5.2). Each is also
 * printed as `total_<name>` summed over the subtree; the totals are what usage_in_bytes counts
 * (use_hierarchy=1, the only mode since 5.x), so they are preferred. `rss` includes `rss_huge`.
 */
const V1: [Field, string][] = [
  ['anonBytes', 'rss'],
  ['fileBytes', 'cache'],
  ['fileMappedBytes', 'mapped_file'],
  ['shmemBytes', 'shmem'],
  ['activeFileBytes', 'active_file'],
  ['inactiveFileBytes', 'inactive_file'],
  ['activeAnonBytes', 'active_anon'],
  ['inactiveAnonBytes', 'inactive_anon'],
  ['unevictableBytes', 'unevictable'],
  ['pgfault', 'pgfault'],
  ['pgmajfault', 'pgmajfault'],
  ['pgpgin', 'pgpgin'],
  ['pgpgout', 'pgpgout'],
  ['workingsetRefaultAnon', 'workingset_refault_anon'],
  ['workingsetRefaultFile', 'workingset_refault_file'],
  ['workingsetActivateFile', 'workingset_activate_file'],
];

/**
 * v2 memory.stat names (Documentation/admin-guide/cgroup-v2.rst, "memory.stat"); v2 counts are
 * hierarchical already. Before 5.9 the workingset counters had no _anon/_file split and only
 * page-cache pages were tracked, so `workingset_refault`/`workingset_activate` are file counts.
 */
const V2: [Field, string[]][] = [
  ['anonBytes', ['anon']],
  ['fileBytes', ['file']],
  ['fileMappedBytes', ['file_mapped']],
  ['shmemBytes', ['shmem']],
  ['activeFileBytes', ['active_file']],
  ['inactiveFileBytes', ['inactive_file']],
  ['activeAnonBytes', ['active_anon']],
  ['inactiveAnonBytes', ['inactive_anon']],
  ['unevictableBytes', ['unevictable']],
  ['pgfault', ['pgfault']],
  ['pgmajfault', ['pgmajfault']],
  ['pgscan', ['pgscan']],
  ['pgsteal', ['pgsteal']],
  ['workingsetRefaultAnon', ['workingset_refault_anon']],
  ['workingsetRefaultFile', ['workingset_refault_file', 'workingset_refault']],
  ['workingsetActivateFile', ['workingset_activate_file', 'workingset_activate']],
];

/** Guess the version from memory.stat keys alone: v1 prints `cache`/`rss`/`total_*`, v2 `anon`/`file`. */
export function cgroupVersionFromStatKeys(keys: string[]): 1 | 2 | undefined {
  if (
    keys.some((k) => k === 'cache' || k === 'rss' || k.startsWith('total_') || k.startsWith('hierarchical_'))
  )
    return 1;
  if (keys.some((k) => k === 'anon' || k === 'file' || k === 'file_mapped')) return 2;
  return undefined;
}

/**
 * Parse a memory.stat file and normalise it to CgroupStat. `version` comes from the other
 * files of the folder; when omitted it is guessed from the keys (v1 if unclear).
 */
export function parseCgroupStat(text: string, version?: 1 | 2): ParseResult<CgroupStatRead> {
  const flat = parseFlatKeyed(text, 'memory.stat');
  const warnings: ParseWarning[] = [...flat.warnings];
  const raw = flat.values;
  const keys = [...Object.keys(raw), ...Object.keys(flat.oversized)];
  if (keys.length === 0) warnings.push({ message: 'memory.stat: no counters found' });
  const v = version ?? cgroupVersionFromStatKeys(keys) ?? 1;
  const stat: CgroupStat = {};
  const value: CgroupStatRead = { stat, raw, oversized: flat.oversized };

  if (v === 1) {
    const hasTotals = keys.some((k) => k.startsWith('total_'));
    for (const [field, name] of V1) {
      const total = raw[`total_${name}`];
      const local = raw[name];
      if (total !== undefined) stat[field] = total;
      else if (local !== undefined) {
        stat[field] = local;
        if (hasTotals) {
          warnings.push({
            message: `memory.stat: total_${name} missing while other total_* keys are present (truncated?); using local ${name}`,
          });
        }
      }
    }
    const limit = flat.oversized.hierarchical_memory_limit ?? raw.hierarchical_memory_limit?.toString();
    if (limit !== undefined) {
      const parsed = limitFromDigits(limit, 'memory.stat hierarchical_memory_limit', warnings);
      if (parsed !== undefined) value.hierarchicalLimitBytes = parsed;
    }
  } else {
    for (const [field, names] of V2) {
      const found = names.map((n) => raw[n]).find((x) => x !== undefined);
      if (found !== undefined) stat[field] = found;
    }
  }
  for (const key of Object.keys(flat.oversized)) {
    if (!key.startsWith('hierarchical_')) {
      pushWarning(
        warnings,
        { message: `memory.stat: ${key} = ${flat.oversized[key]} exceeds 2^53; kept only as text` },
        'memory.stat',
      );
    }
  }
  return { value, warnings };
}
