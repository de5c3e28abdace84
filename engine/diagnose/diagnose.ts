import { getFactDefinition } from '../facts/catalogue.js';
import type { FactSet, FactSource } from '../facts/types.js';
import { decidingLeaves } from '../rules/condition-status.js';
import { evaluateRules } from '../rules/evaluate-rules.js';
import type { CompiledRuleSet, Evidence, RuleKind, RuleOutcome, Severity } from '../rules/types.js';
import { collectNext } from './collect-next.js';
import type { Cause, Diagnosis, DiagnosisEvidence, IncidentInfo } from './types.js';

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
const KIND_RANK: Record<RuleKind, number> = { cause: 0, contributing: 1, symptom: 2 };

export interface DiagnoseOptions {
  explain?: boolean;
  now?: () => Date;
}

function noTargetOnly(facts: FactSet): boolean {
  return facts.acquisition?.noTarget !== undefined && facts.acquisition.nothingAcquired;
}

/** Facts → rules → a ranked, evidence-backed, channel-neutral Diagnosis. */
export async function diagnoseFacts(
  facts: FactSet,
  rules: CompiledRuleSet,
  incident: IncidentInfo,
  opts: DiagnoseOptions = {},
): Promise<Diagnosis> {
  const outcomes = await evaluateRules(rules, facts.values);
  const alertSeverity = facts.values['alert.severity'];
  const causes = rankCauses(
    withoutFallbacks(outcomes.filter((o) => o.fired)).map((o) =>
      toCause(o, typeof alertSeverity === 'string' ? alertSeverity : undefined),
    ),
  );
  const top = causes.find((c) => c.kind !== 'symptom');
  if (top !== undefined) {
    for (const c of causes) if (c.kind === 'symptom') c.consequenceOf = top.ruleId;
  }
  const undecided = causes.length > 0 ? [] : undecidedReasons(facts);
  const outcome = causes.length > 0 ? 'cause-found' : undecided.length === 0 ? 'healthy' : 'inconclusive';

  const diagnosis: Diagnosis = {
    version: 1,
    generatedAt: (opts.now?.() ?? new Date()).toISOString(),
    incident,
    outcome,
    causes,
    collectNext:
      outcome === 'cause-found'
        ? []
        : // With no target and nothing acquired, collectNext says that alone: the undecided reasons are all it.
          [...(noTargetOnly(facts) ? [] : undecided), ...collectNext(facts, outcomes, outcome)],
    missingSources: facts.missingSources,
    facts: Object.fromEntries(
      Object.entries(facts.values).map(([id, value]) => {
        const def = getFactDefinition(id)!;
        return [id, { value, unit: def.unit, source: def.source }];
      }),
    ),
    series: facts.series,
    growingSites: facts.growingSites,
    warnings: facts.warnings,
    ...(facts.acquisition ? { acquisition: facts.acquisition } : {}),
  };
  if (opts.explain) {
    diagnosis.explain = outcomes.map((o) => ({
      ruleId: o.rule.id,
      fired: o.fired,
      status: o.status,
      conditions: o.conditions,
    }));
  }
  return diagnosis;
}

/**
 * A fallback rule (unexplained growth) speaks only when nothing more specific fired: beside a named
 * cause it would only restate that cause's evidence.
 */
function withoutFallbacks(fired: RuleOutcome[]): RuleOutcome[] {
  const specific = fired.some((o) => !o.rule.fallback);
  return specific ? fired.filter((o) => !o.rule.fallback) : fired;
}

/**
 * Causes, then contributing factors, then symptoms (a symptom ranks below what drove it); within a
 * tier by severity, then confidence.
 */
export function rankCauses(causes: Cause[]): Cause[] {
  return [...causes].sort(
    (a, b) =>
      KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      b.confidence - a.confidence ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

function toCause(o: RuleOutcome, alertSeverity?: string): Cause {
  // A fired rule's confidence is its prior. A leaf is missing in a fired rule only inside an `any`
  // that another branch satisfied, and those branches are the same signal from other sources
  // (goroutines from MemStats, profiles or gctrace stacks): lowering confidence for the absent ones
  // made rankings flip when one source went missing (pub-goroutine-leak without gctrace ranked
  // below the map leak its goroutines cause), which is what degraded bundles must not do.
  const confidence = o.rule.confidence;
  return {
    ruleId: o.rule.id,
    title: o.rule.title,
    severity:
      o.rule.severityFromAlert && alertSeverity !== undefined && alertSeverity in SEVERITY_RANK
        ? (alertSeverity as Severity)
        : o.rule.severity,
    kind: o.rule.kind,
    confidence: Math.round(confidence * 100) / 100,
    runbook: o.rule.runbook,
    ...(o.rule.description !== undefined ? { description: o.rule.description } : {}),
    // What decided the rule: the comparisons of the branches that held. The others in a fired rule
    // are alternatives another branch made unnecessary (the same signal from a missing source, an
    // `absent` guard); `--explain` still lists them.
    evidence: decidingLeaves(o.conditions).map(toEvidence),
  };
}

export function toEvidence(e: Evidence): DiagnosisEvidence {
  return {
    fact: e.fact,
    unit: e.unit,
    ...(e.value !== undefined ? { value: e.value } : {}),
    op: e.op,
    threshold: e.threshold,
    passed: e.status === 'missing' ? null : e.status === 'passed',
  };
}

/**
 * Shortest window that can show health. Every trend here is a fit after start-up over samples taken
 * every 1–2 s, and a healthy Go service GCs every few seconds (pub-healthy-go: every 3.7 s), so under
 * 20 s a leak cannot be told from one GC cycle's saw-tooth: the answer is "inconclusive".
 */
const MIN_HEALTHY_WINDOW_SECONDS = 20;

/**
 * Unexplained anonymous memory a Go heap without MemStats leaves open. A heap peaks at its goal
 * (about 1 + GOGC/100 times the live heap) between GCs; tuning half, every healthy Go case with more
 * than 64 MiB beyond the goal is at most 1.17× it (a-pushgw reaches 1.95× with 21 MiB of stacks).
 * Past 1.5× the goal and 64 MiB beyond it, only HeapInuse/HeapAlloc tells fragmentation or memory
 * outside the heap from a heap that is merely between GCs: no "healthy" without MemStats. Without a
 * goal (no gctrace either), the live heap stands in, at the default GOGC's 2× plus a margin (3×).
 */
const GO_UNEXPLAINED_GOAL_RATIO = 1.5;
const GO_UNEXPLAINED_LIVE_RATIO = 3;
const GO_UNEXPLAINED_BYTES = 64 * 1024 * 1024;

/**
 * Page-fault rates that stand as a signal on their own. kswapd-pressure fires at more than 1000 file
 * refaults or major faults a second when it can also show a cost (PSI, the cgroup at its limit);
 * tuning half, no case without reclaim trouble refaults more than 335/s. Refaulting that fast with
 * the cost not shown (no cgroup usage, PSI not recorded or low) is not health.
 */
const FAULT_RATE_SIGNALS = [
  'cgroup.workingsetRefaultFilePerSecond',
  'cgroup.pgmajfaultPerSecond',
  'vmstat.workingsetRefaultPerSecond',
  'vmstat.pswpinPerSecond',
] as const;
const FAULT_RATE_PER_SECOND = 1000;

/**
 * Why "no cause" cannot be read as "healthy" (empty when it can). Health needs evidence, over a
 * window long enough to show it: the process's own runtime data where it has a runtime, and the
 * container's memory from either the cgroup or the process.
 */
export function undecidedReasons(facts: FactSet): string[] {
  const reasons: string[] = [];
  const missing = new Set<FactSource>(facts.missingSources.map((m) => m.source));
  const v = facts.values;
  const kind = v['runtime.kind'];
  if (kind === 'go' && missing.has('memstats') && missing.has('gctrace'))
    reasons.push('No Go runtime data (neither MemStats nor gctrace): the heap cannot be judged.');
  if (kind === 'go' && missing.has('memstats')) {
    const toGoal = num(v['signal.rssAnonToHeapGoalRatio']);
    const toLive = num(v['signal.rssAnonToLiveHeapRatio']);
    const unexplained = Number.isNaN(toGoal)
      ? toLive > GO_UNEXPLAINED_LIVE_RATIO && num(v['signal.anonBeyondLiveHeapBytes']) > GO_UNEXPLAINED_BYTES
      : toGoal > GO_UNEXPLAINED_GOAL_RATIO && num(v['signal.anonBeyondHeapGoalBytes']) > GO_UNEXPLAINED_BYTES;
    if (unexplained)
      reasons.push(
        Number.isNaN(toGoal)
          ? `Anonymous memory is ${toLive.toFixed(1)}× the live heap: fragmentation or a large GOGC, which only MemStats (HeapInuse vs HeapAlloc) tells apart.`
          : `Anonymous memory is ${toGoal.toFixed(1)}× the heap goal: fragmentation or memory outside the heap, which only MemStats (HeapInuse vs HeapAlloc, Sys) tells apart.`,
      );
    // Health needs MemStats even when nothing stands out: spans pinned by a few survivors hold memory
    // inside the heap's own footprint (b2-clickagg without MemStats: RSS 1.3× a batch heap's live
    // set, as a healthy batch heap), and only HeapInuse against HeapAlloc shows them.
    else if (!missing.has('gctrace'))
      reasons.push(
        'No MemStats: fragmentation and idle heap (HeapInuse and HeapIdle against HeapAlloc) cannot be ruled out, so the heap is not shown healthy (collect /debug/vars; `memtriage collect` records it as memstats.jsonl).',
      );
  }
  // A JVM's live set after each collection is in its GC log only: NMT shows committed heap, which a
  // leak fills no faster than a healthy heap sized to -Xmx. Growth outside the heap still shows in the
  // container's memory, which memory-growth reads.
  if (kind === 'jvm' && v['jvm.fullGcCount'] === undefined)
    reasons.push(
      'No GC log: the heap live set after each collection is unknown, so a heap leak cannot be ruled out.',
    );
  for (const id of FAULT_RATE_SIGNALS) {
    const rate = num(v[id]);
    if (rate > FAULT_RATE_PER_SECOND) {
      reasons.push(
        `${id} is ${Math.round(rate).toLocaleString('en-US')}/s: pages are read back in as fast as reclaim drops them, and no rule could show what it costs (collect the cgroup's memory.stat and memory.pressure, and /proc/pressure/io).`,
      );
      break;
    }
  }
  if (missing.has('cgroup') && missing.has('process'))
    reasons.push(
      "No container or process memory (neither cgroup files nor /proc): memory's course is unknown.",
    );
  const window = v['signal.windowSeconds'];
  if (!(typeof window === 'number' && window >= MIN_HEALTHY_WINDOW_SECONDS))
    reasons.push(
      `The window is shorter than ${MIN_HEALTHY_WINDOW_SECONDS} s: a leak cannot be told from one GC cycle.`,
    );
  return reasons;
}

const num = (x: unknown): number => (typeof x === 'number' ? x : NaN);
