import type { FactUnit } from '../facts/types.js';
import type { ComparisonOp } from './types.js';

/** Every comparison operator of the YAML language, in the order the docs and the JSON Schema list them. */
export const COMPARISON_OPS: readonly ComparisonOp[] = [
  'gt',
  'gte',
  'lt',
  'lte',
  'eq',
  'ne',
  'in',
  'between',
  'present',
  'absent',
];

export const GROUP_KEYS = ['all', 'any', 'not'] as const;

const NUMERIC_UNITS: ReadonlySet<FactUnit> = new Set([
  'bytes',
  'bytes/s',
  'count',
  'count/s',
  'ratio',
  'percent',
  'seconds',
]);

export function isNumericUnit(unit: FactUnit): boolean {
  return NUMERIC_UNITS.has(unit);
}

/** Ordering makes no sense on booleans and strings; ranges make no sense on booleans. */
export function operatorsFor(unit: FactUnit): readonly ComparisonOp[] {
  if (isNumericUnit(unit)) return COMPARISON_OPS;
  if (unit === 'boolean') return ['eq', 'ne', 'present', 'absent'];
  return ['eq', 'ne', 'in', 'present', 'absent'];
}

/** `present`/`absent` test the fact's existence; every other operator needs a value. */
export function needsValue(op: ComparisonOp): boolean {
  return op !== 'present' && op !== 'absent';
}

/** Names people type from other tools (json-rules-engine, PromQL, SQL), mapped to ours for "did you mean". */
export const OPERATOR_ALIASES: Readonly<Record<string, ComparisonOp>> = {
  greater: 'gt',
  greaterThan: 'gt',
  greaterThanOrEqual: 'gte',
  less: 'lt',
  lessThanOrEqual: 'lte',
  greaterThanInclusive: 'gte',
  lessThan: 'lt',
  lessThanInclusive: 'lte',
  equal: 'eq',
  equals: 'eq',
  notEqual: 'ne',
  notIn: 'in',
  '>': 'gt',
  '>=': 'gte',
  '<': 'lt',
  '<=': 'lte',
  '==': 'eq',
  '=': 'eq',
  '!=': 'ne',
  ge: 'gte',
  le: 'lte',
  exists: 'present',
  missing: 'absent',
  range: 'between',
};
