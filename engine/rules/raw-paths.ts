import { COMPARISON_OPS } from './operators.js';
import type { ComparisonOp } from './types.js';
import type { DataPath } from '../shared/yaml-source.js';

/** Helpers that read the raw (pre-validation) YAML value by data path. */

export { isPlainObject, valueAt } from '../shared/raw-value.js';

/** A path that holds a condition in rule.yaml: `when`, `…not`, `…all[i]`, `…any[i]`. */
export function isConditionPath(path: DataPath): boolean {
  if (path[0] !== 'when') return false;
  const last = path[path.length - 1];
  const prev = path[path.length - 2];
  return (
    last === 'when' || last === 'not' || (typeof last === 'number' && (prev === 'all' || prev === 'any'))
  );
}

export function isGroupObject(v: Record<string, unknown>): boolean {
  return 'all' in v || 'any' in v || 'not' in v;
}

export function operatorsIn(v: Record<string, unknown>): ComparisonOp[] {
  return COMPARISON_OPS.filter((op) => op in v);
}

/** When the path points into an operand (`…[2].between[0]`), the operator and the comparison's path. */
export function operandOf(path: DataPath): { op: ComparisonOp; comparison: DataPath } | undefined {
  for (let i = path.length - 1; i >= 1; i--) {
    const seg = path[i];
    if (typeof seg === 'string' && (COMPARISON_OPS as readonly string[]).includes(seg)) {
      const comparison = path.slice(0, i);
      if (isConditionPath(comparison)) return { op: seg as ComparisonOp, comparison };
    }
  }
  return undefined;
}

/** `when.all[2].gt` — how people read a path. */
export function dotPath(path: DataPath): string {
  let s = '';
  for (const seg of path)
    s += typeof seg === 'number' ? `[${seg}]` : s === '' ? String(seg) : `.${String(seg)}`;
  return s === '' ? '(top level)' : s;
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string "${v}"`;
  return `${typeof v} ${String(v)}`;
}
