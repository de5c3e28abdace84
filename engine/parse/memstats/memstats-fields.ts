import type { ParseWarning } from '../types.js';
import type { MemStatsField, MemStatsFields } from './types.js';

/**
 * The numeric runtime.MemStats fields memtriage reads, in the order Go declares them
 * (golang/go: src/runtime/mstats.go, `type MemStats`). PauseNs, PauseEnd and BySize are arrays and
 * are not read; Lookups, EnableGC and DebugGC carry no information (always 0 / true / false).
 */
export const MEMSTATS_FIELDS: readonly MemStatsField[] = [
  'Alloc',
  'TotalAlloc',
  'Sys',
  'Mallocs',
  'Frees',
  'HeapAlloc',
  'HeapSys',
  'HeapIdle',
  'HeapInuse',
  'HeapReleased',
  'HeapObjects',
  'StackInuse',
  'StackSys',
  'MSpanInuse',
  'MSpanSys',
  'MCacheInuse',
  'MCacheSys',
  'BuckHashSys',
  'GCSys',
  'OtherSys',
  'NextGC',
  'LastGC',
  'PauseTotalNs',
  'NumGC',
  'NumForcedGC',
  'GCCPUFraction',
];

const FIELD_SET: ReadonlySet<string> = new Set(MEMSTATS_FIELDS);

export function isMemStatsField(name: string): name is MemStatsField {
  return FIELD_SET.has(name);
}

/** How a rejected value is described in a warning (`"123"` is a string, not a number). */
export function describeBadValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (value === null) return 'null';
  return `a ${Array.isArray(value) ? 'array' : typeof value}`;
}

/**
 * Every MemStats field is a uint64/uint32 count or a float64 in [0, 1] (GCCPUFraction), so a valid
 * value is a finite number ≥ 0. Anything else (a string, negative, NaN, null) is reported and dropped.
 * Note: uint64 values above 2^53 (LastGC, ~1.8e18 ns) lose their last few bits as JS numbers
 * (about ±256 ns), which no derived fact cares about.
 */
export function acceptMemStatsValue(
  stats: Partial<MemStatsFields>,
  field: MemStatsField,
  value: unknown,
  warnings: ParseWarning[],
  line: number | undefined,
  where: string,
): void {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    stats[field] = value;
    return;
  }
  const warning: ParseWarning = {
    message: `${where}${field} is ${describeBadValue(value)}, not a number ≥ 0; dropped`,
  };
  if (line !== undefined) warning.line = line;
  warnings.push(warning);
}
