import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnoseBundle } from '../../engine/diagnose/diagnose-bundle.js';
import { diagnoseFacts, rankCauses } from '../../engine/diagnose/diagnose.js';
import { loadCompiledRules } from '../../engine/diagnose/load-rules.js';
import { readBundle } from '../../engine/bundle/read-bundle.js';
import { degradedVariants } from '../../engine/eval/degrade.js';
import { buildFacts } from '../../engine/facts/build-facts.js';
import type { Cause, IncidentInfo } from '../../engine/diagnose/types.js';
import type { FactSet } from '../../engine/facts/types.js';
import type { CompiledRuleSet } from '../../engine/rules/types.js';

const labels = JSON.parse(readFileSync('examples/incidents/labels.json', 'utf8')) as Record<string, string>;
let rules: CompiledRuleSet;
beforeAll(async () => {
  rules = await loadCompiledRules();
});

describe.each(Object.entries(labels))('diagnose %s', (bundle, expected) => {
  it(`names ${expected}`, async () => {
    const d = await diagnoseBundle(join('examples/incidents', bundle), rules);
    if (expected === 'healthy') {
      expect(d.outcome).toBe('healthy');
      expect(d.causes).toEqual([]);
      expect(d.collectNext.length).toBeGreaterThan(0);
    } else {
      expect(d.outcome).toBe('cause-found');
      expect(d.causes[0]?.ruleId).toBe(expected);
      // Evidence is what the engine saw: every passed comparison has a value.
      for (const e of d.causes[0]!.evidence.filter((x) => x.passed && x.op !== 'absent'))
        expect(e.value).toBeDefined();
    }
    // No critical rule fires on a healthy capture; a diagnosis is serialisable as JSON.
    expect(JSON.parse(JSON.stringify(d)).version).toBe(1);
  });
});

describe('ranking', () => {
  it('leads with the cause and lists the OOM kill as its consequence', async () => {
    const d = await diagnoseBundle('examples/incidents/pub-no-memlimit', rules);
    expect(d.causes.map((c) => c.ruleId)).toEqual(['go-no-memlimit', 'cgroup-oom-kill']);
    expect(d.causes[1]!.consequenceOf).toBe('go-no-memlimit');
  });

  it('puts a fired cause above a fired symptom whatever their severities and confidences', () => {
    const c = (
      ruleId: string,
      kind: Cause['kind'],
      severity: Cause['severity'],
      confidence: number,
    ): Cause => ({
      ruleId,
      title: ruleId,
      severity,
      kind,
      confidence,
      runbook: ruleId,
      evidence: [],
    });
    const ranked = rankCauses([
      c('cgroup-oom-kill', 'symptom', 'critical', 0.95),
      c('go-heap-fragmentation', 'cause', 'warning', 0.5),
      c('go-map-leak', 'cause', 'critical', 0.9),
    ]);
    expect(ranked.map((x) => x.ruleId)).toEqual(['go-map-leak', 'go-heap-fragmentation', 'cgroup-oom-kill']);
  });

  it('a map leak that ended in an OOM kill leads with the map leak', async () => {
    const base = await diagnoseBundle('examples/incidents/pub-map-leak', rules);
    const facts: FactSet = {
      values: {
        ...Object.fromEntries(Object.entries(base.facts).map(([k, v]) => [k, v.value])),
        'cgroup.oomKills': 1,
        'kernel.oomKills': 1,
      },
      missingSources: [],
      warnings: [],
      series: {},
      growingSites: [],
    };
    const d = await diagnoseFacts(facts, rules, base.incident);
    expect(d.causes.map((x) => x.ruleId)).toEqual(['go-map-leak', 'cgroup-oom-kill']);
    expect(d.causes[1]!.consequenceOf).toBe('go-map-leak');
  });

  it('a leak leads a contributing factor; fallbacks stay silent beside a specific rule', async () => {
    const base = await diagnoseBundle('examples/incidents/pub-map-leak', rules);
    const values = Object.fromEntries(Object.entries(base.facts).map(([k, v]) => [k, v.value]));
    const facts = (extra: Record<string, number | boolean | string>): FactSet => ({
      values: { ...values, ...extra },
      missingSources: [],
      warnings: [],
      series: {},
      growingSites: [],
    });
    // The same leak with its heap goal over the limit: the missing GOMEMLIMIT is listed second.
    const withGoal = await diagnoseFacts(facts({ 'memstats.nextGcToLimitRatio': 1.2 }), rules, base.incident);
    expect(withGoal.causes.map((x) => [x.ruleId, x.kind])).toEqual([
      ['go-map-leak', 'cause'],
      ['go-no-memlimit', 'contributing'],
    ]);
    // Without the evidence that names a map (no profile, no object growth), only the fallback speaks.
    const { 'pprof.inuseShare.map': _m, 'pprof.topGrowthKind': _k, ...rest } = values;
    const unnamed = await diagnoseFacts(
      {
        values: { ...rest, 'signal.heapObjectsSlopePerSecond': 0 },
        missingSources: [],
        warnings: [],
        series: {},
        growingSites: [],
      },
      rules,
      base.incident,
    );
    expect(unnamed.causes.map((x) => x.ruleId)).toEqual(['go-heap-growth', 'memory-growth']);
  });
});

describe('inconclusive bundles and explain mode', () => {
  const incident: IncidentInfo = { id: 't', source: 'cli', labels: {}, annotations: {}, status: 'unknown' };

  it('says inconclusive and what to collect when the runtime data is missing', async () => {
    const facts: FactSet = {
      values: { 'runtime.kind': 'go' },
      missingSources: [
        { source: 'memstats', reason: 'no memstats.jsonl or heap.txt: collect /debug/vars' },
        { source: 'gctrace', reason: 'no gctrace.log: run with GODEBUG=gctrace=1' },
        { source: 'cgroup', reason: 'no cgroup/ readings' },
        { source: 'process', reason: 'no proc/<ts>/status readings' },
      ],
      warnings: [],
      series: {},
      growingSites: [],
    };
    const d = await diagnoseFacts(facts, rules, incident, { explain: true });
    expect(d.outcome).toBe('inconclusive');
    expect(d.collectNext.join('\n')).toContain('GODEBUG=gctrace=1');
    expect(d.collectNext.join('\n')).toMatch(
      /go-goroutine-leak could not be decided: no signal\.goroutinesWindowSeconds.*\(source: memstats or goroutine profiles, gctrace\)/,
    );
    const explained = d.explain!.find((e) => e.ruleId === 'go-map-leak')!;
    expect(explained.fired).toBe(false);
    expect(explained.status).toBe('missing');
  });

  const goWithoutMemstats = (ratio: number, beyondMiB: number): FactSet => ({
    values: {
      'runtime.kind': 'go',
      'signal.windowSeconds': 60,
      'signal.rssAnonToLiveHeapRatio': ratio,
      'signal.anonBeyondLiveHeapBytes': beyondMiB * 1024 * 1024,
    },
    missingSources: [{ source: 'memstats', reason: 'no memstats.jsonl or heap.txt: collect /debug/vars' }],
    warnings: [],
    series: {},
    growingSites: [],
  });

  it('does not call a Go heap healthy when memory it cannot explain without MemStats sits beside it', async () => {
    const unexplained = await diagnoseFacts(goWithoutMemstats(3.6, 161), rules, incident);
    expect(unexplained.outcome).toBe('inconclusive');
    expect(unexplained.collectNext[0]).toMatch(/3\.6× the live heap: fragmentation or a large GOGC/);
    // What a GOGC=100 heap explains (twice the live heap), or a small heap beside its stacks: still
    // not healthy without MemStats (pinned spans can sit inside that footprint), with the generic reason.
    for (const [ratio, beyond] of [
      [2, 161],
      [4.4, 34],
    ] as const) {
      const d = await diagnoseFacts(goWithoutMemstats(ratio, beyond), rules, incident);
      expect(d.outcome).toBe('inconclusive');
      expect(d.collectNext[0]).toMatch(/^No MemStats: fragmentation and idle heap/);
    }
    // With MemStats the same footprint can be healthy.
    const withMemstats = { ...goWithoutMemstats(2, 161), missingSources: [] };
    expect((await diagnoseFacts(withMemstats, rules, incident)).outcome).toBe('healthy');
  });

  it('reports memory that grows past the heap goal even when no cause names it', async () => {
    const growing = (beyondGoalMiB: number, toGoal = 1.2): FactSet => ({
      values: {
        'runtime.kind': 'go',
        'signal.windowSeconds': 55,
        'signal.anonSlopeBytesPerSecond': 900 * 1024,
        'signal.anonTrendR2': 0.84,
        'signal.anonGrowthBytes': 40 * 1024 * 1024,
        'signal.liveHeapSlopeBytesPerSecond': -69 * 1024,
        'signal.liveHeapTrendR2': 0.89,
        'signal.anonBeyondHeapGoalBytes': beyondGoalMiB * 1024 * 1024,
        'signal.rssAnonToHeapGoalRatio': toGoal,
      },
      missingSources: [],
      warnings: [],
      series: {},
      growingSites: [],
    });
    const past = await diagnoseFacts(growing(75), rules, incident);
    expect(past.causes.map((c) => c.ruleId)).toEqual(['memory-growth']);
    // Growth toward the goal of a flat live heap is the heap's own cycle (a cache warming up).
    expect((await diagnoseFacts(growing(20), rules, incident)).outcome).toBe('healthy');
    // Already past the goal with a flat live heap, and still climbing: not the heap's cycle.
    const pastGoal = await diagnoseFacts(growing(57, 1.3), rules, incident);
    expect(pastGoal.causes.map((c) => c.ruleId)).toEqual(['memory-growth']);
  });

  it('does not call a container healthy while it refaults pages faster than 1000/s', async () => {
    const refaulting = (perSecond: number): FactSet => ({
      values: {
        'runtime.kind': 'none',
        'signal.windowSeconds': 45,
        'vmstat.workingsetRefaultPerSecond': perSecond,
        'psi.ioSomeAvg10MaxPercent': 7.65,
      },
      missingSources: [{ source: 'cgroup', reason: 'no cgroup/ readings' }],
      warnings: [],
      series: {},
      growingSites: [],
    });
    const d = await diagnoseFacts(refaulting(3892), rules, incident);
    expect(d.outcome).toBe('inconclusive');
    expect(d.collectNext[0]).toMatch(/vmstat\.workingsetRefaultPerSecond is 3,892\/s/);
    expect((await diagnoseFacts(refaulting(335), rules, incident)).outcome).toBe('healthy');
  });

  it('does not call a JVM healthy without its GC log', async () => {
    const bundle = await readBundle('examples/incidents/pub-jvm-healthy');
    const noGcLog = degradedVariants(bundle).find((v) => v.name === 'no-jvm-gc')!;
    const d = await diagnoseFacts(buildFacts(noGcLog.bundle), rules, incident);
    expect(d.outcome).toBe('inconclusive');
    expect(d.collectNext[0]).toMatch(/No GC log/);
    expect((await diagnoseFacts(buildFacts(bundle), rules, incident)).outcome).toBe('healthy');
  });

  it('finds JVM growth off the heap without NMT: what the live set does not explain', async () => {
    const bundle = await readBundle('examples/incidents/pub-jvm-offheap');
    const noNmt = degradedVariants(bundle).find((v) => v.name === 'no-nmt')!;
    const d = await diagnoseFacts(buildFacts(noNmt.bundle), rules, incident);
    expect(d.causes[0]?.ruleId).toBe('jvm-offheap');
    expect(d.facts['signal.jvmHeapShareOfGrowth']?.value).toBeLessThan(0.5);
  });

  it('explains every rule with passed, failed and missing conditions', async () => {
    const d = await diagnoseBundle('examples/incidents/pub-healthy-go', rules, { explain: true });
    expect(d.explain!.map((e) => e.ruleId).sort()).toEqual(rules.ruleSet.rules.map((r) => r.id).sort());
    const thrash = d.explain!.find((e) => e.ruleId === 'go-gc-thrash')!;
    expect(thrash.status).toBe('failed');
  });
});
