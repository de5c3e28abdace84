import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FactValue } from '../../engine/facts/types.js';
import {
  compileRuleSet,
  evaluatePlain,
  evaluateRules,
  loadRuleSet,
  RuleEvalError,
} from '../../engine/rules/index.js';
import type { CompiledRuleSet, ConditionNode, RuleOutcome } from '../../engine/rules/index.js';

const GOOD = 'test/fixtures/rules/good';
/** A Go map-leak incident with an OOM kill: 110 facts, JVM facts absent (test/fixtures/rules/facts). */
const MAP_LEAK = JSON.parse(readFileSync('test/fixtures/rules/facts/go-map-leak.json', 'utf8')) as Record<
  string,
  FactValue
>;

let realistic: CompiledRuleSet;
let all: CompiledRuleSet;
beforeAll(async () => {
  realistic = compileRuleSet(
    await loadRuleSet({ dirs: [join(GOOD, 'realistic')], templateExists: () => true }),
  );
  all = compileRuleSet(
    await loadRuleSet({
      dirs: ['realistic', 'extras', 'bare-comparison'].map((d) => join(GOOD, d)),
      templateExists: () => true,
    }),
  );
});

const outcome = (outcomes: RuleOutcome[], id: string): RuleOutcome => {
  const o = outcomes.find((x) => x.rule.id === id);
  if (!o) throw new Error(`no outcome for ${id}`);
  return o;
};
const shape = (n: ConditionNode): unknown =>
  n.type === 'comparison'
    ? `${n.fact} ${n.op} ${n.threshold}: ${n.status}`
    : n.type === 'not'
      ? { not: shape(n.child), status: n.status }
      : { [n.type]: n.children.map(shape), status: n.status };

describe('evaluateRules', () => {
  it('fires the causes a map-leak incident supports, and only those', async () => {
    const outcomes = await evaluateRules(realistic, MAP_LEAK);
    expect(outcomes.map((o) => o.rule.id)).toEqual(realistic.ruleSet.rules.map((r) => r.id));
    expect(outcomes.filter((o) => o.fired).map((o) => o.rule.id)).toEqual([
      'cgroup-oom-kill',
      'go-map-leak',
      'go-no-memlimit',
      'rss-near-limit',
    ]);
    for (const o of outcomes) expect(o.fired).toBe(o.status === 'passed');
  });

  it('returns a condition tree mirroring the YAML, with values and converted thresholds on every leaf', async () => {
    const leak = outcome(await evaluateRules(realistic, MAP_LEAK), 'go-map-leak');
    expect(shape(leak.conditions)).toEqual({
      all: [
        'gctrace.liveHeapSlopeBytesPerSecond gt 256KiB/s: passed',
        'gctrace.liveHeapTrendR2 gte 0.8: passed',
        {
          any: ['pprof.inuseShare.map gt 40%: passed', 'pprof.topGrowthKind eq map: passed'],
          status: 'passed',
        },
        { not: 'runtime.kind eq jvm: failed', status: 'passed' },
      ],
      status: 'passed',
    });
    expect(leak.evidence[0]).toEqual({
      type: 'comparison',
      fact: 'gctrace.liveHeapSlopeBytesPerSecond',
      op: 'gt',
      threshold: '256KiB/s',
      thresholdValue: 262_144,
      unit: 'bytes/s',
      value: MAP_LEAK['gctrace.liveHeapSlopeBytesPerSecond'],
      status: 'passed',
      location: { file: join(GOOD, 'realistic', 'go-map-leak', 'rule.yaml'), line: 9, column: 7 },
    });
    expect(leak.evidence.map((e) => e.fact)).toEqual([
      'gctrace.liveHeapSlopeBytesPerSecond',
      'gctrace.liveHeapTrendR2',
      'pprof.inuseShare.map',
      'pprof.topGrowthKind',
      'runtime.kind',
    ]);
  });

  it('marks comparisons on absent facts missing, never failed, and a failed sibling still decides an all', async () => {
    const jvm = outcome(await evaluateRules(realistic, MAP_LEAK), 'jvm-offheap');
    expect(jvm.fired).toBe(false);
    expect(jvm.status).toBe('failed'); // runtime.kind is go: decided despite the missing JVM facts
    expect(jvm.evidence.map((e) => [e.fact, e.status, e.value])).toEqual([
      ['runtime.kind', 'failed', 'go'],
      ['jvm.offHeapSlopeBytesPerSecond', 'missing', undefined],
      ['jvm.offHeapTrendR2', 'missing', undefined],
      ['jvm.topGrowingCategory', 'missing', undefined],
    ]);
  });

  it('never fires a rule for lack of data: an all with only passed and missing children is missing', async () => {
    const facts = { ...MAP_LEAK };
    delete facts['gctrace.liveHeapTrendR2'];
    const leak = outcome(await evaluateRules(realistic, facts), 'go-map-leak');
    expect(leak).toMatchObject({ fired: false, status: 'missing' });
    const none = await evaluateRules(realistic, {});
    expect(none.filter((o) => o.fired)).toEqual([]);
    // All missing, except go-no-memlimit: its `cgroup.limitBytes present: true` is decided (failed) by absence.
    expect(none.filter((o) => o.status !== 'missing').map((o) => [o.rule.id, o.status])).toEqual([
      ['go-no-memlimit', 'failed'],
    ]);
  });

  it('keeps `not` of a missing fact missing, so the rule does not fire on "not jvm" when the runtime is unknown', async () => {
    const facts = { ...MAP_LEAK };
    delete facts['runtime.kind'];
    const leak = outcome(await evaluateRules(realistic, facts), 'go-map-leak');
    expect(shape(leak.conditions)).toMatchObject({
      all: [
        expect.anything(),
        expect.anything(),
        expect.anything(),
        { not: 'runtime.kind eq jvm: missing', status: 'missing' },
      ],
      status: 'missing',
    });
    expect(leak.fired).toBe(false);
    const onJvm = outcome(
      await evaluateRules(realistic, { ...MAP_LEAK, 'runtime.kind': 'jvm' }),
      'go-map-leak',
    );
    expect(onJvm).toMatchObject({ fired: false, status: 'failed' });
  });

  it('lets one passed branch of an any decide, whatever the missing ones say', async () => {
    const kswapd = outcome(
      await evaluateRules(realistic, { 'psi.cgroupSomeAvg10MaxPercent': 25 }),
      'kswapd-pressure',
    );
    expect(kswapd.fired).toBe(true);
    expect(shape(kswapd.conditions)).toEqual({
      any: [
        {
          all: [
            'cgroup.workingsetRefaultFilePerSecond gt 1000: missing',
            'cgroup.pgmajfaultPerSecond gt 100: missing',
          ],
          status: 'missing',
        },
        'psi.cgroupSomeAvg10MaxPercent gt 10%: passed',
        'vmstat.pgscanKswapdPerSecond gt 10000: missing',
      ],
      status: 'passed',
    });
  });

  it('decides present/absent on missing facts, and ne/in/between/eq on booleans and strings', async () => {
    const quiet = (facts: Record<string, FactValue>) =>
      evaluateRules(all, facts).then((o) => outcome(o, 'quiet-rule').evidence);
    const ev = await quiet({
      'runtime.kind': 'jvm',
      'cgroup.usageRatio': 0.95,
      'kernel.oomKilledProcess': 'sidecar',
      'runtime.goMemoryLimitSet': true,
    });
    const status = Object.fromEntries(ev.map((e) => [`${e.fact} ${e.op}`, e.status]));
    expect(status).toMatchObject({
      'cgroup.limitBytes present': 'failed',
      'jvm.nmtSamples absent': 'passed',
      'runtime.kind in': 'passed',
      'cgroup.usageRatio between': 'passed', // inclusive upper bound
      'kernel.oomKilledProcess ne': 'failed',
      'runtime.goMemoryLimitSet eq': 'failed',
      'alert.firing eq': 'missing',
      'memstats.heapInuseBytes gt': 'missing',
    });
  });

  it('evaluates a rule whose when is a bare comparison, without the wrapper the engine needs', async () => {
    const oom = outcome(await evaluateRules(all, { 'cgroup.oomKills': 2 }), 'oom-seen');
    expect(oom.conditions).toMatchObject({
      type: 'comparison',
      fact: 'cgroup.oomKills',
      value: 2,
      status: 'passed',
    });
    expect(oom.fired).toBe(true);
  });

  it('treats null as absent and ignores facts no rule names', async () => {
    const o = await evaluateRules(realistic, {
      ...MAP_LEAK,
      'runtime.kind': null as unknown as FactValue,
      'x.y': 'z',
    });
    expect(outcome(o, 'go-map-leak').evidence.at(-1)).toMatchObject({
      fact: 'runtime.kind',
      status: 'missing',
    });
  });

  it('refuses a fact whose type contradicts the catalogue instead of reading it as "did not fire"', async () => {
    const cases: Record<string, unknown>[] = [
      { 'gctrace.liveHeapSlopeBytesPerSecond': '1GiB' },
      { 'runtime.kind': 3 },
      { 'gctrace.liveHeapTrendR2': Number.NaN },
    ];
    for (const bad of cases) {
      const err = await evaluateRules(realistic, bad as Record<string, FactValue>).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RuleEvalError);
      expect((err as RuleEvalError).code).toBe('MT_ERR_RULE_EVAL');
    }
  });
});

/** Deterministic PRNG (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Random facts around the rules' own thresholds (below, at, above), with about a third absent. */
function randomFacts(compiled: CompiledRuleSet, next: () => number): Record<string, FactValue> {
  const evidence = evaluatePlain(compiled, {}).flatMap((o) => o.evidence);
  const facts: Record<string, FactValue> = {};
  for (const e of evidence) {
    if (e.fact in facts || next() < 0.33) continue;
    const ts = evidence.filter((x) => x.fact === e.fact).flatMap((x) => x.thresholdValue);
    const t = ts[Math.floor(next() * ts.length)];
    if (e.unit === 'boolean') facts[e.fact] = next() < 0.5;
    else if (e.unit === 'string')
      facts[e.fact] = ['go', 'jvm', 'map', 'slice', 'Other', 'sidecar', 'none'][
        Math.floor(next() * 7)
      ] as string;
    else if (typeof t === 'number')
      facts[e.fact] = [t * 0.5, t, t * 1.5, t + 1, 0][Math.floor(next() * 5)] as number;
    else facts[e.fact] = next() * 10;
  }
  return facts;
}

describe('json-rules-engine and the plain evaluator agree', () => {
  it('on every rule and every node for 400 random fact sets around the thresholds', async () => {
    const next = rng(20_240_601);
    let fired = 0;
    let missing = 0;
    for (let i = 0; i < 400; i++) {
      const facts = randomFacts(all, next);
      const viaEngine = await evaluateRules(all, facts);
      expect(viaEngine).toEqual(evaluatePlain(all, facts));
      fired += viaEngine.filter((o) => o.fired).length;
      missing += viaEngine.filter((o) => o.status === 'missing').length;
    }
    // The sample exercises all three outcomes.
    expect(fired).toBeGreaterThan(50);
    expect(missing).toBeGreaterThan(50);
  });

  it('on the map-leak incident', async () => {
    expect(await evaluateRules(realistic, MAP_LEAK)).toEqual(evaluatePlain(realistic, MAP_LEAK));
  });
});

describe('concurrent diagnoses', () => {
  /**
   * json-rules-engine keeps run state on the Engine (`status`): with one shared Engine, a run that
   * finishes while another is still starting makes the other silently skip its rules (reproduced
   * with json-rules-engine 7.3.1: 30 of 1,200 staggered runs lost rules). The adapter gives every
   * in-flight run its own Engine; this is the regression test, staggered the same way.
   */
  it('return exactly what sequential runs return, even when started at staggered moments', async () => {
    const next = rng(7);
    const sets = Array.from({ length: 48 }, () => randomFacts(all, next));
    const sequential = [];
    for (const f of sets) sequential.push(await evaluateRules(all, f));
    const pending: Promise<RuleOutcome[]>[] = [];
    for (const [i, f] of sets.entries()) {
      pending.push(evaluateRules(all, f));
      for (let k = 0; k < i % 23; k++) await Promise.resolve();
    }
    const concurrent = await Promise.all(pending);
    for (const [i, outcomes] of concurrent.entries()) {
      expect(outcomes).toHaveLength(all.ruleSet.rules.length);
      expect(outcomes).toEqual(sequential[i]);
    }
  });
});
