import { readBundle } from '../bundle/read-bundle.js';
import { diagnoseFacts } from '../diagnose/diagnose.js';
import { incidentFromBundle } from '../diagnose/incident.js';
import type { Diagnosis } from '../diagnose/types.js';
import { buildFacts } from '../facts/build-facts.js';
import type { CompiledRuleSet } from '../rules/types.js';
import { HEALTHY, type CorpusCase } from './corpus.js';
import { degradedVariants, type Variant } from './degrade.js';

/** What memtriage answered for one bundle: the top cause's rule id, `healthy` or `inconclusive`. */
export interface Verdict {
  variant: string;
  predicted: string;
  severity?: string;
  runnerUp?: string;
  /** Top cause's confidence minus the runner-up's (the top's own when there is none). */
  margin?: number;
  correct: boolean;
  /** A non-healthy case answered `healthy`: the worst error, counted on its own. */
  calledHealthy: boolean;
  /** A healthy case answered with a critical cause. */
  criticalOnHealthy: boolean;
}

export interface CaseResult {
  case: CorpusCase;
  full: Verdict;
  degraded: Verdict[];
  error?: string;
}

export interface RuleScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision?: number;
  recall?: number;
}

export interface EvalReport {
  cases: CaseResult[];
  /** expected → predicted → count, full bundles only. */
  confusion: Record<string, Record<string, number>>;
  perRule: Record<string, RuleScore>;
  full: Tally;
  degraded: Tally;
  /** Degraded variants by kind (`no-gctrace`, `first-half`…). */
  byVariant: Record<string, Tally>;
}

export interface Tally {
  total: number;
  correct: number;
  calledHealthy: number;
  criticalOnHealthy: number;
  inconclusive: number;
}

export interface EvalOptions {
  /** Also diagnose every degraded variant (default true). */
  degraded?: boolean;
  now?: () => Date;
}

/**
 * Diagnoses every corpus case — and each of its degraded variants — with the whole ruleset, exactly as
 * `memtriage diagnose` would, and scores the answers against the labels.
 */
export async function evaluateCorpus(
  cases: readonly CorpusCase[],
  rules: CompiledRuleSet,
  opts: EvalOptions = {},
): Promise<EvalReport> {
  const results: CaseResult[] = [];
  for (const c of cases) {
    try {
      const bundle = await readBundle(c.bundle);
      const variants =
        opts.degraded === false ? degradedVariants(bundle).slice(0, 1) : degradedVariants(bundle);
      const verdicts: Verdict[] = [];
      for (const v of variants) {
        const diagnosis = await diagnoseFacts(
          buildFacts(v.bundle),
          rules,
          incidentFromBundle(v.bundle),
          opts.now ? { now: opts.now } : {},
        );
        verdicts.push(verdictOf(v.name, expectedFor(c, v), diagnosis));
      }
      const [full, ...degraded] = verdicts as [Verdict, ...Verdict[]];
      results.push({ case: c, full, degraded });
    } catch (err) {
      const failed: Verdict = {
        variant: 'full',
        predicted: 'error',
        correct: false,
        calledHealthy: false,
        criticalOnHealthy: false,
      };
      results.push({ case: c, full: failed, degraded: [], error: (err as Error).message });
    }
  }
  return summarize(
    results,
    rules.ruleSet.rules.map((r) => r.id),
  );
}

/** A late-onset case's first half ends before its problem starts: there, healthy is right. */
function expectedFor(c: CorpusCase, v: Variant): string {
  if (v.name !== 'first-half' || c.onsetSeconds === undefined) return c.cause;
  const { startUnixMs, endUnixMs } = v.bundle.meta ?? {};
  if (typeof startUnixMs !== 'number' || typeof endUnixMs !== 'number') return c.cause;
  return (endUnixMs - startUnixMs) / 1000 <= c.onsetSeconds ? HEALTHY : c.cause;
}

function verdictOf(variant: string, expected: string, d: Diagnosis): Verdict {
  const [top, second] = d.causes;
  const predicted = top?.ruleId ?? d.outcome;
  // The margin is to the runner-up in the top cause's own tier (a symptom below a cause is not
  // competing with it); with no rival in the tier it is the top cause's whole confidence.
  const rival = d.causes.slice(1).find((c) => c.kind === top?.kind && c.severity === top?.severity);
  return {
    variant,
    predicted,
    ...(top ? { severity: top.severity } : {}),
    ...(second
      ? { runnerUp: second.kind === 'cause' ? second.ruleId : `${second.ruleId} (${second.kind})` }
      : {}),
    ...(top ? { margin: round2(top.confidence - (rival?.confidence ?? 0)) } : {}),
    correct: predicted === expected,
    calledHealthy: expected !== HEALTHY && predicted === HEALTHY,
    criticalOnHealthy: expected === HEALTHY && d.causes.some((x) => x.severity === 'critical'),
  };
}

function summarize(cases: CaseResult[], ruleIds: string[]): EvalReport {
  const confusion: Record<string, Record<string, number>> = {};
  const perRule: Record<string, RuleScore> = {};
  const score = (id: string) => (perRule[id] ??= { truePositives: 0, falsePositives: 0, falseNegatives: 0 });
  for (const id of ruleIds) score(id);
  const full = emptyTally();
  const degraded = emptyTally();
  const byVariant: Record<string, Tally> = {};
  for (const r of cases) {
    const row = (confusion[r.case.cause] ??= {});
    row[r.full.predicted] = (row[r.full.predicted] ?? 0) + 1;
    add(full, r.full);
    if (r.full.correct) {
      if (r.case.cause !== HEALTHY) score(r.case.cause).truePositives++;
    } else {
      if (r.case.cause !== HEALTHY) score(r.case.cause).falseNegatives++;
      if (ruleIds.includes(r.full.predicted)) score(r.full.predicted).falsePositives++;
    }
    for (const v of r.degraded) {
      add(degraded, v);
      add((byVariant[v.variant] ??= emptyTally()), v);
    }
  }
  for (const s of Object.values(perRule)) {
    const found = s.truePositives + s.falsePositives;
    const expected = s.truePositives + s.falseNegatives;
    if (found > 0) s.precision = round2(s.truePositives / found);
    if (expected > 0) s.recall = round2(s.truePositives / expected);
  }
  return { cases, confusion, perRule, full, degraded, byVariant };
}

function emptyTally(): Tally {
  return { total: 0, correct: 0, calledHealthy: 0, criticalOnHealthy: 0, inconclusive: 0 };
}

function add(t: Tally, v: Verdict): void {
  t.total++;
  if (v.correct) t.correct++;
  if (v.calledHealthy) t.calledHealthy++;
  if (v.criticalOnHealthy) t.criticalOnHealthy++;
  if (v.predicted === 'inconclusive') t.inconclusive++;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
