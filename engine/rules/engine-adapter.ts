import { createRequire } from 'node:module';
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
 *   diagnosis about 40% slower in bench/rules.ts;
 * - every run copies each rule's condition tree into its RuleResult with the `clone` package, which
 *   made that copy a third of a diagnosis; our Engines' RuleResults share the tree instead (see
 *   `installSharedTrees`), so a run's results are read before its Engine is reused.
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

/** Root Condition objects of the rules in our pooled Engines: their RuleResults share the tree. */
const SHARED_TREES = new WeakSet<object>();

/**
 * json-rules-engine 7 builds a RuleResult per rule per run, and its constructor deep-copies the rule's
 * condition tree with `clone` (the run then writes each node's result and fact value on the copy),
 * so that concurrent runs on one Engine do not write over each other. That copy was a third of a
 * diagnosis (bench/rules.ts: `clone` keeps every object it has visited in an array and searches it
 * for each new one). Our Engines never run twice at once (the pool below), so for their rules the
 * RuleResult can hold the rule's own tree: `run` clears the previous run's results from it first and
 * hands the results to its reader before the Engine goes back to the pool.
 *
 * The library's rule.js constructs `require('./rule-result').default` at each evaluation; this swaps
 * that export for a constructor that shares the trees registered in SHARED_TREES and calls the
 * library's own constructor (which copies) for any other tree. It changes nothing when the module is
 * not laid out as in 7.x (then every run copies, as before).
 */
function installSharedTrees(): void {
  let mod: { default?: unknown; __memtriageSharedTrees?: boolean };
  try {
    mod = createRequire(import.meta.url)('json-rules-engine/dist/rule-result.js') as typeof mod;
  } catch {
    return;
  }
  const Original = mod.default;
  if (mod.__memtriageSharedTrees || typeof Original !== 'function') return;
  const proto = (Original as { prototype?: { setResult?: unknown } }).prototype;
  if (typeof proto?.setResult !== 'function') return;
  type Ctor = new (conditions: unknown, event: unknown, priority: unknown, name: unknown) => object;
  function RuleResult(
    this: Record<string, unknown>,
    conditions: unknown,
    event: unknown,
    priority: unknown,
    name: unknown,
  ): object | undefined {
    const plainEvent =
      typeof event === 'object' &&
      event !== null &&
      Object.getPrototypeOf(event) === Object.prototype &&
      Object.values(event).every((v) => v === null || typeof v !== 'object');
    if (
      typeof conditions !== 'object' ||
      conditions === null ||
      !SHARED_TREES.has(conditions) ||
      !plainEvent ||
      (priority !== null && typeof priority === 'object') ||
      (name !== null && typeof name === 'object')
    ) {
      return new (Original as Ctor)(conditions, event, priority, name);
    }
    this.conditions = conditions;
    this.event = { ...event };
    this.priority = priority;
    this.name = name;
    this.result = null;
    return undefined;
  }
  RuleResult.prototype = proto;
  mod.default = RuleResult;
  mod.__memtriageSharedTrees = true;
}

interface TreeNode {
  all?: TreeNode[];
  any?: TreeNode[];
  not?: TreeNode;
  result?: unknown;
  factResult?: unknown;
  valueResult?: unknown;
}

/** Every node of a tree, listed once when the Engine is built. */
function nodesOf(node: TreeNode, into: TreeNode[] = []): TreeNode[] {
  into.push(node);
  for (const c of node.all ?? []) nodesOf(c, into);
  for (const c of node.any ?? []) nodesOf(c, into);
  if (node.not) nodesOf(node.not, into);
  return into;
}

installSharedTrees();

const isNumber = (v: unknown): boolean => typeof v === 'number' && !Number.isNaN(v);

/** The facts of the run an Engine is busy with; its dynamic facts read from here. */
interface Slot {
  facts: Readonly<Record<string, FactValue>>;
}

interface Pooled {
  engine: Engine;
  slot: Slot;
  /**
   * Every node of every rule's condition tree, which the runs write their results on. A run clears
   * `result` first, so a node the engine skipped reads as unevaluated (the engine writes `result`
   * in the same step as `factResult`).
   */
  nodes: TreeNode[];
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

interface EngineRule {
  conditions?: TreeNode;
  prioritizeConditions?: (conditions: TreeNode[]) => TreeNode[][];
}

/**
 * Registers the rules' condition trees so that the runs' RuleResults share them, and returns their
 * nodes. Also memoises each rule's `prioritizeConditions` per list of conditions: it groups a
 * group's children by priority (theirs, else their fact's) and sorts the groups, at every group of
 * every run, although neither the trees nor the facts' priorities change after the Engine is built.
 */
function sharedTrees(engine: Engine): TreeNode[] {
  const rules = (engine as unknown as { rules?: EngineRule[] }).rules ?? [];
  const nodes: TreeNode[] = [];
  for (const r of rules) {
    if (r.conditions === undefined) continue;
    SHARED_TREES.add(r.conditions);
    nodesOf(r.conditions, nodes);
    const prioritize = r.prioritizeConditions;
    if (typeof prioritize === 'function') {
      const memo = new WeakMap<TreeNode[], TreeNode[][]>();
      r.prioritizeConditions = function (this: EngineRule, conditions: TreeNode[]): TreeNode[][] {
        let sets = memo.get(conditions);
        if (sets === undefined) {
          sets = prioritize.call(this, conditions);
          memo.set(conditions, sets);
        }
        return sets;
      };
    }
  }
  return nodes;
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
      const engine = createEngine(this.rules, this.factIds, slot);
      return { engine, slot, nodes: sharedTrees(engine) };
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

  /**
   * Runs every rule once over the facts and hands the results, keyed by rule name (the rule id), to
   * `read`. The evaluated trees belong to the Engine and are reused by its next run, so `read` must
   * copy out what it keeps (it runs before the Engine goes back to the pool).
   */
  async run<T>(
    facts: Readonly<Record<string, FactValue>>,
    read: (results: ReadonlyMap<string, EngineRuleResult>) => T,
  ): Promise<T> {
    const pooled = this.idle.pop() ?? this.create();
    pooled.slot.facts = facts;
    try {
      for (const n of pooled.nodes) n.result = undefined;
      let out: Map<string, EngineRuleResult>;
      try {
        const { results, failureResults } = await pooled.engine.run();
        out = new Map<string, EngineRuleResult>();
        for (const r of [...results, ...failureResults]) {
          out.set(String(r.name), { result: r.result, conditions: r.conditions as unknown as EngineNode });
        }
      } catch (cause) {
        throw new RuleEvalError(
          `json-rules-engine failed: ${cause instanceof Error ? cause.message : String(cause)}`,
          { cause },
        );
      }
      return read(out);
    } finally {
      pooled.slot.facts = {};
      if (this.idle.length < this.maxIdle) this.idle.push(pooled);
    }
  }
}
