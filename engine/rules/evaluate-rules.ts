import type { FactValue } from '../facts/types.js';
import type { CompiledInternal } from './compile-rule-set.js';
import { groupStatus, leaves, notStatus, pickFacts } from './condition-status.js';
import type { EngineNode, EngineRuleResult } from './engine-adapter.js';
import { RuleEvalError } from './errors.js';
import { needsValue } from './operators.js';
import type { CompiledRuleSet, Condition, ConditionNode, RuleOutcome } from './types.js';

/**
 * Runs every rule over the facts through json-rules-engine and returns, per rule in rule-set order,
 * whether it fired and the evaluated condition tree. Pass/fail of every node is the engine's own
 * `result`; `missing` is added where the facts needed to decide a node were absent.
 */
export async function evaluateRules(
  compiled: CompiledRuleSet,
  facts: Readonly<Record<string, FactValue>>,
): Promise<RuleOutcome[]> {
  const internal = compiled.internal as CompiledInternal;
  const input = pickFacts(internal.kinds, facts);
  // The evaluated trees are the Engine's own and reused by its next run: read them inside `run`.
  return internal.runner.run(input, (results) => readOutcomes(compiled, internal, results));
}

function readOutcomes(
  compiled: CompiledRuleSet,
  internal: CompiledInternal,
  results: ReadonlyMap<string, EngineRuleResult>,
): RuleOutcome[] {
  return compiled.ruleSet.rules.map((rule) => {
    const r = results.get(rule.id);
    if (!r) throw new RuleEvalError(`json-rules-engine returned no result for rule ${rule.id}`);
    // The engine writes the top-level verdict on the RuleResult, not on the root node (dist/rule.js).
    const c = r.conditions;
    const root = internal.wrapped.has(rule.id)
      ? c.all?.[0]
      : { all: c.all, any: c.any, not: c.not, result: r.result }; // (spreading the engine's cloned node is slow)
    const conditions = toNode(rule.id, rule.when, root);
    return { rule, fired: r.result, status: conditions.status, conditions, evidence: leaves(conditions) };
  });
}

function toNode(ruleId: string, c: Condition, en: EngineNode | undefined): ConditionNode {
  if (en === undefined || (c.type !== 'comparison' && en.result === undefined)) {
    throw new RuleEvalError(`rule ${ruleId}: json-rules-engine left a condition unevaluated`);
  }
  switch (c.type) {
    case 'comparison': {
      if (en.result === undefined) throw new RuleEvalError(`rule ${ruleId}: ${c.fact} was not evaluated`);
      const value = en.factResult as FactValue | undefined;
      const status = needsValue(c.op) && value === undefined ? 'missing' : en.result ? 'passed' : 'failed';
      return {
        type: 'comparison',
        fact: c.fact,
        op: c.op,
        threshold: c.threshold,
        thresholdValue: c.thresholdValue,
        unit: c.unit,
        value,
        status,
        location: c.location,
      };
    }
    case 'not': {
      const child = toNode(ruleId, c.condition, en.not);
      return { type: 'not', status: decided(notStatus(child.status), en), child };
    }
    default: {
      const list = en[c.type] ?? [];
      const children = c.conditions.map((x, i) => toNode(ruleId, x, list[i]));
      return {
        type: c.type,
        status: decided(
          groupStatus(
            c.type,
            children.map((x) => x.status),
          ),
          en,
        ),
        children,
      };
    }
  }
}

/** `missing` comes from the children; a decided node takes the engine's verdict. */
function decided(kleene: ReturnType<typeof groupStatus>, en: EngineNode): ReturnType<typeof groupStatus> {
  return kleene === 'missing' ? 'missing' : en.result ? 'passed' : 'failed';
}
