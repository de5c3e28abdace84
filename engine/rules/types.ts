/**
 * Public types of the rule language: what `loadRuleSet` returns, what `evaluateRules` reports.
 *
 * Raw YAML shapes live in `rule-schema.ts` (zod, also the source of `schema/*.schema.json`);
 * these are the normalised, validated forms with defaults applied and units converted.
 * Signatures of the API (all exported from `engine/rules/index.ts`):
 *
 * ```ts
 * loadRuleSet(options: LoadRuleSetOptions): Promise<RuleSet>        // throws RuleLoadError
 * compileRuleSet(ruleSet: RuleSet): CompiledRuleSet                  // throws RuleCompileError
 * evaluateRules(compiled: CompiledRuleSet, facts: Record<string, FactValue>): Promise<RuleOutcome[]>
 * formatIssues(issues: readonly RuleIssue[]): string                 // `file:line:column: code: message` lines
 * parseQuantity(raw: unknown, unit: FactUnit): QuantityResult
 * templatesIn(dirs: readonly string[]): (runbookId: string) => boolean
 * ```
 */
import type { FactUnit, FactValue } from '../facts/types.js';
import type { SourceLocation } from '../shared/yaml-source.js';

export type Severity = 'info' | 'warning' | 'critical';

/**
 * Ranking tiers. A `contributing` factor (e.g. no GOMEMLIMIT) makes a cause hurt sooner and ranks
 * below any fired `cause`; a `symptom` (e.g. cgroup-oom-kill) ranks below both and is listed as the
 * consequence of the top cause.
 */
export type RuleKind = 'cause' | 'contributing' | 'symptom';

export type ComparisonOp =
  'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'ne' | 'in' | 'between' | 'present' | 'absent';

export type GroupOp = 'all' | 'any' | 'not';

export type { SourceLocation } from '../shared/yaml-source.js';

/** Stable per-issue codes (the error itself carries `MT_ERR_RULE_INVALID`). See `issue-codes.ts`. */
export type RuleIssueCode =
  | 'yaml-syntax'
  | 'yaml-duplicate-key'
  | 'empty-file'
  | 'not-a-mapping'
  | 'unknown-key'
  | 'missing-key'
  | 'invalid-type'
  | 'invalid-value'
  | 'empty-group'
  | 'unknown-fact'
  | 'unknown-operator'
  | 'no-operator'
  | 'multiple-operators'
  | 'operator-not-allowed'
  | 'bad-operand'
  | 'unit-mismatch'
  | 'ambiguous-unit'
  | 'id-mismatch'
  | 'duplicate-id'
  | 'missing-template'
  | 'missing-bundle'
  | 'missing-rule-file'
  | 'dir-not-found';

export interface RuleIssue extends SourceLocation {
  code: RuleIssueCode;
  message: string;
}

/** Value of a threshold after unit conversion: numbers in the fact's base unit (bytes, seconds, …). */
export type ThresholdValue = FactValue | readonly FactValue[];

/** A leaf of `when`: one fact, one operator, one (unit-converted) threshold. */
export interface Comparison {
  type: 'comparison';
  fact: string;
  unit: FactUnit;
  op: ComparisonOp;
  /** As written in the YAML, for people: `256KiB`, `80%`, `[1GiB, 2GiB]`, `true`. */
  threshold: string;
  /** Converted to the fact's unit: bytes, bytes/s, seconds, 0–1 for ratio, 0–100 for percent. `true` for present/absent. */
  thresholdValue: ThresholdValue;
  location: SourceLocation;
}

export interface GroupCondition {
  type: 'all' | 'any';
  conditions: Condition[];
  location: SourceLocation;
}

export interface NotCondition {
  type: 'not';
  condition: Condition;
  location: SourceLocation;
}

export type Condition = Comparison | GroupCondition | NotCondition;

export interface RuleCase {
  name: string;
  /** As written in cases.yaml (relative to the cases.yaml folder). */
  bundleAsWritten: string;
  /** Absolute path of the bundle directory (checked to exist at load time). */
  bundle: string;
  /** When true, the rule must be the top-ranked cause for this bundle (only meaningful in `fires`). */
  topCause: boolean;
  location: SourceLocation;
}

export interface RuleCases {
  file: string;
  fires: RuleCase[];
  doesNotFire: RuleCase[];
}

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  /** A generic finding, reported only when no rule without `fallback` fired. */
  fallback?: boolean;
  /** Take the alert's own severity label when it has one (generic findings: growth, a dead target). */
  severityFromAlert?: boolean;
  kind: RuleKind;
  /** Prior confidence 0–1; default 0.8. */
  confidence: number;
  /** Runbook template id: `templates/<runbook>.hbs`. */
  runbook: string;
  description?: string;
  when: Condition;
  /** The rule folder and its rule.yaml, joined onto the directory as it was given to `loadRuleSet`. */
  dir: string;
  file: string;
  /** Absent when the rule folder has no cases.yaml. */
  cases?: RuleCases;
  /** README.md in the rule folder, when there is one (same base as `file`). */
  readme?: string;
}

export interface RuleSet {
  /** In load order: directory order, then folder name order. */
  rules: Rule[];
  /** The directories the set was loaded from, in order, as absolute paths. */
  dirs: string[];
}

export interface LoadRuleSetOptions {
  /** Rule directories, each holding `<id>/rule.yaml` folders. Later directories add rules. */
  dirs: readonly string[];
  /** Whether a runbook template exists (e.g. `templatesIn(['templates'])`). Injected so tests need no files. */
  templateExists: (runbookId: string) => boolean;
  /**
   * When true, a rule in a later directory whose id equals one from an earlier directory replaces it
   * (the user's tuned copy of a default rule). When false (the default), that is a `duplicate-id` issue.
   */
  allowOverride?: boolean;
  /**
   * Read and check each rule's cases.yaml (its bundles must exist). Only `rules validate`/`rules test`
   * need them: a diagnosis, `serve` and a reload must not depend on the example bundles being present.
   */
  withCases?: boolean;
}

/** Outcome of one comparison or group: `missing` when the facts needed to decide it are absent. */
export type ConditionStatus = 'passed' | 'failed' | 'missing';

/**
 * One evaluated comparison: the evidence for (or against) a rule.
 * `value` is the fact's value in the fact's unit, or undefined when the fact is absent.
 */
export interface Evidence {
  type: 'comparison';
  fact: string;
  op: ComparisonOp;
  threshold: string;
  thresholdValue: ThresholdValue;
  unit: FactUnit;
  value: FactValue | undefined;
  status: ConditionStatus;
  location: SourceLocation;
}

export interface GroupNode {
  type: 'all' | 'any';
  status: ConditionStatus;
  children: ConditionNode[];
}

export interface NotNode {
  type: 'not';
  status: ConditionStatus;
  child: ConditionNode;
}

/** The evaluated `when` tree, mirroring the YAML. */
export type ConditionNode = Evidence | GroupNode | NotNode;

export interface RuleOutcome {
  rule: Rule;
  /** json-rules-engine's verdict. A rule never fires on missing facts (three-valued: unknown is not true). */
  fired: boolean;
  /** Status of the root node: `missing` means the rule could not be decided for lack of facts. */
  status: ConditionStatus;
  conditions: ConditionNode;
  /** The leaves of `conditions`, in YAML order. */
  evidence: Evidence[];
}

/** A validated rule set compiled for json-rules-engine. Build with `compileRuleSet`; opaque otherwise. */
export interface CompiledRuleSet {
  readonly ruleSet: RuleSet;
  /** Every fact id the rules name (evaluation passes only these to the engine). */
  readonly factIds: readonly string[];
  /** Adapter state (json-rules-engine rule JSON and engine pool); not part of the API. */
  readonly internal: unknown;
}

export type { QuantityResult } from '../shared/parse-quantity.js';
