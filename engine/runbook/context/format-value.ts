import type { FactUnit, FactValue } from '../../facts/types.js';
import { formatFactValue } from '../../format/units.js';

/**
 * A fact value the way a runbook reader wants it: engine/format/units.ts, with counts and rates of
 * 100 or more rounded to whole numbers (`21,744/s`, not `21744.3/s`).
 */
export function formatForReader(value: FactValue, unit: FactUnit): string {
  if (typeof value === 'number' && (unit === 'count' || unit === 'count/s') && Math.abs(value) >= 100) {
    return formatFactValue(Math.round(value), unit);
  }
  return formatFactValue(value, unit);
}

/**
 * Evidence values in the rule's own terms: a ratio compared with a plain number (R² ≥ 0.8,
 * goal/live < 1.25) prints as that number, one compared with a percentage prints as a percentage.
 */
export function formatEvidenceValue(value: FactValue, unit: FactUnit, threshold: string): string {
  if (unit === 'ratio' && typeof value === 'number' && !threshold.trim().endsWith('%'))
    return value.toFixed(2);
  return formatForReader(value, unit);
}
