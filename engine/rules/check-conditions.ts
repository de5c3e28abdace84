import { getFactDefinition } from '../facts/catalogue.js';
import type { FactUnit, FactValue } from '../facts/types.js';
import { isNumericUnit, operatorsFor } from './operators.js';
import { parseQuantity, unitExample } from '../shared/parse-quantity.js';
import { dotPath, isPlainObject, operatorsIn } from './raw-paths.js';
import type { ComparisonOp, Condition, RuleIssue, RuleIssueCode, ThresholdValue } from './types.js';
import { locate, sourceText } from '../shared/yaml-source.js';
import type { DataPath, YamlSource } from '../shared/yaml-source.js';

/**
 * The semantic pass over `when`, after the structural (zod) pass: is the operator meaningful for the
 * fact's unit, and does every threshold read as that unit? It also builds the normalised condition
 * tree with thresholds converted. Nodes the structural pass already rejected are skipped (`rejected`),
 * so one mistake is reported once.
 */
export function checkConditions(
  src: YamlSource,
  raw: unknown,
  path: DataPath,
  rejected: (path: DataPath) => boolean,
): { condition?: Condition; issues: RuleIssue[] } {
  const issues: RuleIssue[] = [];
  const condition = walk(src, raw, path, rejected, issues);
  return { condition, issues };
}

function walk(
  src: YamlSource,
  raw: unknown,
  path: DataPath,
  rejected: (path: DataPath) => boolean,
  issues: RuleIssue[],
): Condition | undefined {
  if (!isPlainObject(raw)) return undefined;
  const location = locate(src, path);
  for (const type of ['all', 'any'] as const) {
    const list = raw[type];
    if (type in raw) {
      if (!Array.isArray(list)) return undefined;
      const conditions = list.map((c, i) => walk(src, c, [...path, type, i], rejected, issues));
      return conditions.every((c) => c !== undefined) && conditions.length > 0
        ? { type, conditions: conditions as Condition[], location }
        : undefined;
    }
  }
  if ('not' in raw) {
    const inner = walk(src, raw.not, [...path, 'not'], rejected, issues);
    return inner ? { type: 'not', condition: inner, location } : undefined;
  }
  const fact = raw.fact;
  const def = typeof fact === 'string' ? getFactDefinition(fact) : undefined;
  const ops = operatorsIn(raw);
  const op = ops[0];
  if (!def || ops.length !== 1 || op === undefined || rejected([...path, op])) return undefined;

  const unit = def.unit;
  const opPath = [...path, op];
  const report = (
    p: DataPath,
    code: RuleIssueCode,
    message: string,
    where: 'key' | 'value' = 'value',
  ): undefined => {
    issues.push({ ...locate(src, p, where), code, message });
    return undefined;
  };
  const allowed = operatorsFor(unit);
  if (!allowed.includes(op)) {
    return report(
      opPath,
      'operator-not-allowed',
      `"${op}" does not apply to ${def.id}, a ${unit} fact; use ${allowed.join(', ')}`,
      'key',
    );
  }
  const operand = raw[op];
  const convert = (v: unknown, p: DataPath): FactValue | undefined => {
    const r = convertOperand(v, unit);
    if (r.ok) return r.value;
    return report(p, r.code, `${def.id} (${unit}): ${r.message}`);
  };

  let thresholdValue: ThresholdValue | undefined;
  if (op === 'present' || op === 'absent') {
    thresholdValue = true;
  } else if (op === 'in' || op === 'between') {
    const items = Array.isArray(operand) ? operand.map((v, i) => convert(v, [...opPath, i])) : [];
    if (items.length === 0 || items.some((v) => v === undefined)) return undefined;
    if (op === 'between') {
      const [lo, hi] = items as number[];
      if ((lo ?? 0) > (hi ?? 0)) {
        return report(
          opPath,
          'bad-operand',
          `between takes [low, high] with low ≤ high; ${dotPath(opPath)} has low > high`,
        );
      }
    }
    thresholdValue = items as FactValue[];
  } else {
    thresholdValue = convert(operand, opPath);
  }
  if (thresholdValue === undefined) return undefined;
  return {
    type: 'comparison',
    fact: def.id,
    unit,
    op: op as ComparisonOp,
    threshold: sourceText(src, opPath) ?? String(operand),
    thresholdValue,
    location,
  };
}

type Converted =
  { ok: true; value: FactValue } | { ok: false; code: 'unit-mismatch' | 'ambiguous-unit'; message: string };

function convertOperand(v: unknown, unit: FactUnit): Converted {
  if (isNumericUnit(unit)) return parseQuantity(v, unit);
  if (unit === 'boolean') {
    return typeof v === 'boolean'
      ? { ok: true, value: v }
      : {
          ok: false,
          code: 'unit-mismatch',
          message: `got ${JSON.stringify(v)}, but the fact is a boolean: write ${unitExample(unit)}`,
        };
  }
  return typeof v === 'string'
    ? { ok: true, value: v }
    : {
        ok: false,
        code: 'unit-mismatch',
        message: `got ${typeof v} ${JSON.stringify(v)}, but the fact is a string: write ${unitExample(unit)}, e.g. "${String(v)}"`,
      };
}
