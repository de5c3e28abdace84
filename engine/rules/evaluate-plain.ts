import type { FactValue } from '../facts/types.js';
import type { CompiledInternal } from './compile-rule-set.js';
import { groupStatus, leaves, notStatus, pickFacts } from './condition-status.js';
import type {
  CompiledRuleSet,
  Comparison,
  Condition,
  ConditionNode,
  ConditionStatus,
  RuleOutcome,
} from './types.js';

/**
 * The same compiled conditions evaluated by plain JavaScript, synchronously, with the same
 * three-valued semantics. It exists to measure json-rules-engine's cost (bench/rules.ts) and as an
 * oracle in the tests (both evaluators must agree on every rule and every node); diagnoses use
 * `evaluateRules`.
 */
export function evaluatePlain(
  compiled: CompiledRuleSet,
  facts: Readonly<Record<string, FactValue>>,
): RuleOutcome[] {
  const input = pickFacts((compiled.internal as CompiledInternal).kinds, facts);
  return compiled.ruleSet.rules.map((rule) => {
    const conditions = evalNode(rule.when, input);
    return {
      rule,
      fired: conditions.status === 'passed',
      status: conditions.status,
      conditions,
      evidence: leaves(conditions),
    };
  });
}

function compare(c: Comparison, v: FactValue): boolean {
  const t = c.thresholdValue;
  switch (c.op) {
    case 'gt':
      return (v as number) > (t as number);
    case 'gte':
      return (v as number) >= (t as number);
    case 'lt':
      return (v as number) < (t as number);
    case 'lte':
      return (v as number) <= (t as number);
    case 'eq':
      return v === t;
    case 'ne':
      return v !== t;
    case 'in':
      return (t as readonly FactValue[]).includes(v);
    case 'between': {
      const [lo, hi] = t as readonly number[];
      return (v as number) >= (lo as number) && (v as number) <= (hi as number);
    }
    case 'present':
      return true;
    case 'absent':
      return false;
  }
}

function evalNode(c: Condition, facts: Readonly<Record<string, FactValue>>): ConditionNode {
  switch (c.type) {
    case 'comparison': {
      const value = facts[c.fact];
      let status: ConditionStatus;
      if (c.op === 'absent') status = value === undefined ? 'passed' : 'failed';
      else if (value === undefined) status = c.op === 'present' ? 'failed' : 'missing';
      else status = compare(c, value) ? 'passed' : 'failed';
      const { location, fact, op, threshold, thresholdValue, unit } = c;
      return { type: 'comparison', fact, op, threshold, thresholdValue, unit, value, status, location };
    }
    case 'not': {
      const child = evalNode(c.condition, facts);
      return { type: 'not', status: notStatus(child.status), child };
    }
    default: {
      const children = c.conditions.map((x) => evalNode(x, facts));
      return {
        type: c.type,
        status: groupStatus(
          c.type,
          children.map((x) => x.status),
        ),
        children,
      };
    }
  }
}
