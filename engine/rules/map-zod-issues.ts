import type { z } from 'zod';
import { factIds } from '../facts/catalogue.js';
import { didYouMean, suggest } from '../shared/did-you-mean.js';
import { COMPARISON_OPS, OPERATOR_ALIASES } from './operators.js';
import {
  describeValue,
  dotPath,
  isConditionPath,
  isGroupObject,
  isPlainObject,
  operandOf,
  operatorsIn,
  valueAt,
} from './raw-paths.js';
import { KEYS } from './rule-schema.js';
import type { ComparisonOp, RuleIssue, RuleIssueCode } from './types.js';
import { locate } from '../shared/yaml-source.js';
import type { DataPath, YamlSource } from '../shared/yaml-source.js';

type Issue = z.core.$ZodIssue;
export type FileKind = 'rule' | 'cases';

const OPERAND_HELP: Readonly<Record<ComparisonOp, string>> = {
  gt: 'a number or a quantity such as 256KiB, 80% or 5m',
  gte: 'a number or a quantity such as 256KiB, 80% or 5m',
  lt: 'a number or a quantity such as 256KiB, 80% or 5m',
  lte: 'a number or a quantity such as 256KiB, 80% or 5m',
  eq: 'a number, a quantity, a string or a boolean',
  ne: 'a number, a quantity, a string or a boolean',
  in: 'a non-empty list of values, e.g. [go, jvm]',
  between: 'a list of two values [low, high], both inclusive',
  present: 'true (use `absent: true` for the opposite)',
  absent: 'true (use `present: true` for the opposite)',
};

const OPS_LIST = COMPARISON_OPS.join(', ');

function allowedKeys(kind: FileKind, path: DataPath, obj: unknown): readonly string[] {
  if (kind === 'cases') {
    if (path.length === 0) return KEYS.cases;
    return path[0] === 'fires' ? KEYS.firesCase : KEYS.notFiresCase;
  }
  if (path.length === 0) return KEYS.rule;
  if (isConditionPath(path) && isPlainObject(obj)) return isGroupObject(obj) ? KEYS.group : KEYS.comparison;
  return [];
}

/**
 * Turns zod's issues into located, coded issues. A failed condition union is narrowed to the branch
 * the author evidently meant (a mapping with `all` is a group, one without all/any/not a comparison),
 * so the report says "unknown operator greaterThan" instead of "invalid input".
 */
export function mapZodIssues(
  issues: readonly Issue[],
  src: YamlSource,
  root: unknown,
  kind: FileKind,
): { issues: RuleIssue[]; paths: DataPath[] } {
  const out: RuleIssue[] = [];
  /** Data paths of the narrowed issues, so the semantic pass can skip what is already reported. */
  const paths: DataPath[] = [];
  /** Comparisons already reported for an unknown operator: "no operator" would say the same again. */
  const unknownOperatorAt = new Set<string>();
  const at = (
    path: DataPath,
    code: RuleIssueCode,
    message: string,
    where: 'value' | 'key' = 'value',
  ): void => {
    out.push({ ...locate(src, path, where), code, message });
  };

  const visit = (list: readonly Issue[], prefix: DataPath): void => {
    for (const issue of list) {
      const path: DataPath = [...prefix, ...issue.path];
      const value = valueAt(root, path);
      if (issue.code === 'invalid_union' && kind === 'rule' && isConditionPath(path) && value !== undefined) {
        if (!isPlainObject(value)) {
          at(
            path,
            'invalid-type',
            `${dotPath(path)}: a condition is a mapping ({fact, <operator>} or all/any/not), not ${describeValue(value)}`,
          );
          continue;
        }
        const branch = 'all' in value ? 0 : 'any' in value ? 1 : 'not' in value ? 2 : 3;
        visit(issue.errors[branch] ?? [], path);
        continue;
      }
      paths.push(path);
      convert(issue, path, value);
    }
  };

  const convert = (issue: Issue, path: DataPath, value: unknown): void => {
    const operand = operandOf(path);
    const last = path[path.length - 1];
    if (
      value === undefined &&
      path.length > 0 &&
      issue.code !== 'custom' &&
      issue.code !== 'unrecognized_keys'
    ) {
      const parent = path.slice(0, -1);
      const what =
        kind === 'rule' && isConditionPath(parent)
          ? 'a comparison needs the key'
          : parent.length === 0
            ? 'missing required key'
            : `${dotPath(parent)} needs the key`;
      const hint = missingHint(String(last), valueAt(root, parent));
      at(parent, 'missing-key', `${what} "${String(last)}"${hint}`);
      return;
    }
    switch (issue.code) {
      case 'unrecognized_keys': {
        const comparison =
          kind === 'rule' && isConditionPath(path) && isPlainObject(value) && !isGroupObject(value);
        const noOperator = comparison && operatorsIn(value).length === 0;
        if (noOperator) unknownOperatorAt.add(dotPath(path));
        for (const key of issue.keys) {
          if (noOperator) {
            const alias = OPERATOR_ALIASES[key];
            const hint = alias ? ` (did you mean "${alias}"?)` : didYouMean(key, COMPARISON_OPS);
            at(
              [...path, key],
              'unknown-operator',
              `unknown operator "${key}"${hint}; operators are ${OPS_LIST}`,
              'key',
            );
          } else {
            const keys = allowedKeys(kind, path, value);
            const where = path.length === 0 ? '' : ` in ${dotPath(path)}`;
            at(
              [...path, key],
              'unknown-key',
              `unknown key "${key}"${where}${didYouMean(key, keys)}; allowed: ${keys.join(', ')}`,
              'key',
            );
          }
        }
        return;
      }
      case 'custom': {
        const code = (issue.params as { mtCode?: RuleIssueCode } | undefined)?.mtCode ?? 'invalid-value';
        if (code === 'no-operator' && unknownOperatorAt.has(dotPath(path))) return;
        const ops = isPlainObject(value) ? operatorsIn(value) : [];
        const fact = isPlainObject(value) && typeof value.fact === 'string' ? `"${value.fact}"` : 'the fact';
        const message =
          code === 'no-operator'
            ? `comparison on ${fact} has no operator; add one of ${OPS_LIST}`
            : code === 'multiple-operators'
              ? `comparison on ${fact} has ${ops.length} operators (${ops.join(', ')}); write one per comparison and combine them under all/any${ops.some((o) => o.startsWith('g')) && ops.some((o) => o.startsWith('l')) ? ', or use between: [low, high]' : ''}`
              : issue.message;
        at(path, code, message);
        return;
      }
      case 'invalid_value': {
        if (last === 'fact' && kind === 'rule' && typeof value === 'string') {
          at(
            path,
            'unknown-fact',
            `unknown fact "${value}"${didYouMean(value, factIds())}; rules may only name facts in the fact catalogue`,
          );
        } else if (operand) {
          at(
            path,
            'bad-operand',
            `${operand.op} takes ${OPERAND_HELP[operand.op]}, not ${describeValue(value)}`,
          );
        } else {
          const options = issue.values.map((v) => String(v));
          const hint = typeof value === 'string' ? didYouMean(value, options) : '';
          at(
            path,
            'invalid-value',
            `${dotPath(path)} must be one of ${options.join(', ')}, not ${describeValue(value)}${hint}`,
          );
        }
        return;
      }
      case 'too_small':
      case 'too_big': {
        if ((last === 'all' || last === 'any') && Array.isArray(value) && value.length === 0) {
          at(path, 'empty-group', `"${last}" needs at least one condition`);
        } else if (operand) {
          at(
            operand.comparison.concat(operand.op),
            'bad-operand',
            `${operand.op} takes ${OPERAND_HELP[operand.op]}`,
          );
        } else {
          at(path, 'invalid-value', `${dotPath(path)}: ${issue.message}`);
        }
        return;
      }
      case 'invalid_format':
        at(path, 'invalid-value', `${dotPath(path)} "${String(value)}" ${issue.message}`);
        return;
      default: {
        if (operand) {
          at(
            path,
            'bad-operand',
            `${operand.op} takes ${OPERAND_HELP[operand.op]}, not ${describeValue(value)}`,
          );
        } else {
          const expected = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
          at(path, 'invalid-type', `${dotPath(path)}: ${expected}, got ${describeValue(value)}`);
        }
      }
    }
  };

  visit(issues, []);
  return { issues: out, paths };
}

/** For a missing `fact`, point at a key that looks like a misspelt one. */
function missingHint(key: string, parent: unknown): string {
  if (!isPlainObject(parent)) return '';
  const near = suggest(key, Object.keys(parent), 1)[0];
  return near !== undefined && near !== key ? ` (is "${near}" a misspelling?)` : '';
}
