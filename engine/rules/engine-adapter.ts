import { Engine, Operator, OperatorDecorator } from 'json-rules-engine';
import type { RuleProperties, TopLevelCondition } from 'json-rules-engine';
import type { FactValue } from '../facts/types.js';
import { RuleCompileError, RuleEvalError } from './errors.js';

/**
 * The only module that imports json-rules-engine (docs/architecture.md, "One importer per library"). It knows the library's sharp
 * edges and keeps them here:
 * - plain `Error`s with no code become `RuleCompileError`/`RuleEvalError`;
 * - a missing fact must not quietly read as "false" under a `not`: operators get an explicit
 *   missing-fact policy through two decorators (`known:` and `unknownTrue:`, see compile-rule-set.ts);
 * - facts are registered once per Engine as uncached dynamic facts (see `createEngine`);
 * - per-run state (`Engine.status`) lives on the Engine, and a run that finishes sets FINISHED while
 *   another concurrent run on the same Engine may not have started its rules yet, which then
 *   silently skips them (dist/engine.js `evaluateRules`; reproduced with 7.3.1: 30 of 1,200
 *   staggered concurrent runs on one Engine lost rules). So an Engine is never shared by two runs
 *   at once: the adapter keeps a small pool, one Engine per in-flight run, reused afterwards,
 *   because building a fresh one per diagnosis (Rule and Condition objects for every rule) made a
 *   diagnosis about 40% slower in bench/rules.ts.
 */

/** A node of the evaluated condition tree, as json-rules-engine writes it (dist/rule.js `evaluate`). */
export interface EngineNode {
  all?: EngineNode[];
  any?: EngineNode[];
  not?: EngineNode;
  /** Leaves: the fact value the engine read (undefined when the fact was absent). */
  factResult?: unknown;
  /** Absent when the engine did not evaluate the node (short-circuit); we never set priorities, so it always does. */
  result?: boolean;
}

export interface EngineRuleResult {
  result: boolean;
  conditions: EngineNode;
}

export type EngineRuleJson = RuleProperties & { name: string; conditions: TopLevelCondition };

const isNumber = (v: unknown): boolean => typeof v === 'number' && !Number.isNaN(v);

/** The facts of the run an Engine is busy with; its dynamic facts read from here. */
interface Slot {
  facts: Readonly<Record<string, FactValue>>;
}

interface Pooled {
  engine: Engine;
  slot: Slot;
}

function createEngine(rules: readonly EngineRuleJson[], factIds: readonly string[], slot: Slot): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true, allowUndefinedConditions: false });
  engine.addOperator(
    new Operator<number, [number, number]>(
      'between',
      (a, [lo, hi]) => a >= lo && a <= hi,
      isNumber as (v: number) => boolean,
    ),
  );
  engine.addOperator(new Operator<unknown, unknown>('present', (a) => a !== undefined));
  engine.addOperator(new Operator<unknown, unknown>('absent', (a) => a === undefined));
  // Missing fact → false: the comparison cannot hold on a fact we do not have (also fixes `notEqual`, which says true).
  engine.addOperatorDecorator(
    new OperatorDecorator<unknown, unknown, unknown, unknown>(
      'known',
      (a, b, next) => next(a, b),
      (a) => a !== undefined,
    ),
  );
  // Missing fact → true, used below an odd number of `not`s so that `not` of an unknown is not "true".
  engine.addOperatorDecorator(
    new OperatorDecorator<unknown, unknown, unknown, unknown>(
      'unknownTrue',
      (a, b, next) => a === undefined || next(a, b),
    ),
  );
  // Every fact the rules name is a dynamic fact reading the current run's value (undefined when
  // absent, which the operators above treat as missing). This costs one closure call per read,
  // where passing runtime facts to run() builds and registers a Fact object per fact per run.
  for (const id of factIds) engine.addFact(id, () => slot.facts[id], { cache: false });
  for (const rule of rules) engine.addRule(rule);
  return engine;
}

/** Compiled rules plus a pool of Engines that hold them. */
export class EngineRunner {
  private readonly idle: Pooled[] = [];

  constructor(
    private readonly rules: readonly EngineRuleJson[],
    private readonly factIds: readonly string[],
    private readonly maxIdle = 8,
  ) {
    // Build one now so that a rule json-rules-engine refuses fails at compile time, not mid-incident.
    this.idle.push(this.create());
  }

  private create(): Pooled {
    const slot: Slot = { facts: {} };
    try {
      return { engine: createEngine(this.rules, this.factIds, slot), slot };
    } catch (cause) {
      const rule = this.rules.find((r) => {
        try {
          createEngine([r], this.factIds, slot);
          return false;
        } catch {
          return true;
        }
      });
      throw new RuleCompileError(
        rule?.name ?? '(unknown)',
        `json-rules-engine refused the rule: ${String(cause)}`,
        { cause },
      );
    }
  }

  /** Runs every rule once over the facts; keyed by rule name (the rule id). */
  async run(facts: Readonly<Record<string, FactValue>>): Promise<Map<string, EngineRuleResult>> {
    const pooled = this.idle.pop() ?? this.create();
    pooled.slot.facts = facts;
    try {
      const { results, failureResults } = await pooled.engine.run();
      const out = new Map<string, EngineRuleResult>();
      for (const r of [...results, ...failureResults]) {
        out.set(String(r.name), { result: r.result, conditions: r.conditions as unknown as EngineNode });
      }
      return out;
    } catch (cause) {
      throw new RuleEvalError(
        `json-rules-engine failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    } finally {
      pooled.slot.facts = {};
      if (this.idle.length < this.maxIdle) this.idle.push(pooled);
    }
  }
}
