import type { TopLevelCondition } from 'json-rules-engine';
import { factKinds } from './condition-status.js';
import { EngineRunner } from './engine-adapter.js';
import type { EngineRuleJson } from './engine-adapter.js';
import type { ComparisonOp, CompiledRuleSet, Condition, RuleSet } from './types.js';

/** Our operators in json-rules-engine's names (dist/engine-default-operators.js; the last three are ours). */
const ENGINE_OPERATOR: Readonly<Record<ComparisonOp, string>> = {
  gt: 'greaterThan',
  gte: 'greaterThanInclusive',
  lt: 'lessThan',
  lte: 'lessThanInclusive',
  eq: 'equal',
  ne: 'notEqual',
  in: 'in',
  between: 'between',
  present: 'present',
  absent: 'absent',
};

type EngineCondition = Record<string, unknown>;

/**
 * One condition in json-rules-engine's JSON. Thresholds are already in the fact's base unit.
 * Missing facts follow three-valued logic, so a rule never fires for lack of data: a comparison on
 * an absent fact is "unknown"; below an even number of `not`s unknown must count as false (`known:`),
 * below an odd number as true (`unknownTrue:`), so that the `not` above turns it into false.
 */
export function toEngineCondition(c: Condition, negated = false): EngineCondition {
  switch (c.type) {
    case 'all':
    case 'any':
      return { [c.type]: c.conditions.map((x) => toEngineCondition(x, negated)) };
    case 'not':
      return { not: toEngineCondition(c.condition, !negated) };
    case 'comparison': {
      const base = ENGINE_OPERATOR[c.op];
      const existence = c.op === 'present' || c.op === 'absent';
      const operator = existence ? base : `${negated ? 'unknownTrue' : 'known'}:${base}`;
      return { fact: c.fact, operator, value: c.thresholdValue };
    }
  }
}

export interface CompiledInternal {
  runner: EngineRunner;
  /** JS type per named fact, for the type check before each run. */
  kinds: ReturnType<typeof factKinds>;
  /** Rules whose `when` is a bare comparison are wrapped in `all` for the engine (its top level must be a group). */
  wrapped: ReadonlySet<string>;
}

function collectFacts(c: Condition, into: Set<string>): void {
  if (c.type === 'comparison') into.add(c.fact);
  else if (c.type === 'not') collectFacts(c.condition, into);
  else for (const x of c.conditions) collectFacts(x, into);
}

/** Turns a validated rule set into json-rules-engine rules (throws `RuleCompileError` if the engine refuses one). */
export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  const wrapped = new Set<string>();
  const facts = new Set<string>();
  const json: EngineRuleJson[] = ruleSet.rules.map((rule) => {
    collectFacts(rule.when, facts);
    let conditions = toEngineCondition(rule.when);
    if (rule.when.type === 'comparison') {
      wrapped.add(rule.id);
      conditions = { all: [conditions] };
    }
    return {
      name: rule.id,
      priority: 1,
      conditions: conditions as TopLevelCondition,
      event: { type: rule.id },
    };
  });
  const factIds = [...facts].sort();
  const internal: CompiledInternal = {
    runner: new EngineRunner(json, factIds),
    wrapped,
    kinds: factKinds(factIds),
  };
  return { ruleSet, factIds, internal };
}
