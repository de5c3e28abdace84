import type { PsiLine } from '../proc/types.js';
import type { ParseWarning } from '../types.js';
import { singleValue, type LabelFilter } from './select-series.js';
import type { PromExposition } from './types.js';

/**
 * PSI totals as exporters publish them. Exporters export only the cumulative `total` (as seconds), not
 * the kernel's avg10/avg60/avg300, so this is PsiSnapshot with only `totalMicros` filled — rates must be
 * computed from two scrapes. Shaped so that it becomes assignable to PsiSnapshot if PsiLine's averages
 * are ever made optional.
 */
export interface PsiTotals {
  ts?: number;
  some?: Pick<PsiLine, 'totalMicros'>;
  full?: Pick<PsiLine, 'totalMicros'>;
}

/** Seconds (float) → whole microseconds, as the kernel's `total=` prints them. */
function micros(seconds: number | undefined): Pick<PsiLine, 'totalMicros'> | undefined {
  return seconds === undefined || seconds < 0 ? undefined : { totalMicros: Math.round(seconds * 1e6) };
}

/** PsiTotals from a `some` and a `full` total in seconds; undefined when neither is known. */
export function psiTotalsFromSeconds(someSeconds?: number, fullSeconds?: number): PsiTotals | undefined {
  const some = micros(someSeconds);
  const full = micros(fullSeconds);
  if (!some && !full) return undefined;
  const totals: PsiTotals = {};
  if (some) totals.some = some;
  if (full) totals.full = full;
  return totals;
}

/**
 * Host memory PSI from node_exporter's pressure collector (node_exporter: collector/pressure_linux.go,
 * kernel ≥ 4.20): `node_pressure_memory_waiting_seconds_total` is the `some` total and
 * `node_pressure_memory_stalled_seconds_total` the `full` total of /proc/pressure/memory, in seconds.
 */
export function promToPsi(
  exp: PromExposition,
  filter?: LabelFilter,
  warnings?: ParseWarning[],
): PsiTotals | undefined {
  return psiTotalsFromSeconds(
    singleValue(exp, 'node_pressure_memory_waiting_seconds_total', filter, warnings),
    singleValue(exp, 'node_pressure_memory_stalled_seconds_total', filter, warnings),
  );
}
