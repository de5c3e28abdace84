/**
 * Rule-stage benchmark (issue 3 §5): diagnoses per second through json-rules-engine versus the same
 * compiled conditions evaluated by plain JavaScript, on a realistic ~110-fact set.
 *
 *   npx tsx bench/rules.ts [N]
 *
 * Rule sets: the shipped `rules/` when it loads, and the 10-rule fixture set in
 * test/fixtures/rules/good/realistic. Facts: test/fixtures/rules/facts/go-map-leak.json (a Go map
 * leak that ended in a cgroup OOM kill; JVM facts absent). Each figure is the best of several rounds,
 * because the machine is shared (2 cores).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { FactValue } from '../engine/facts/types.js';
import type { CompiledInternal } from '../engine/rules/compile-rule-set.js';
import {
  compileRuleSet,
  evaluatePlain,
  evaluateRules,
  loadRuleSet,
  templatesIn,
} from '../engine/rules/index.js';
import type { CompiledRuleSet, RuleSet } from '../engine/rules/index.js';

const N = Number(process.argv[2] ?? 20_000);
const ROUNDS = 5;
const facts = JSON.parse(readFileSync('test/fixtures/rules/facts/go-map-leak.json', 'utf8')) as Record<
  string,
  FactValue
>;

async function loadSets(): Promise<{ name: string; ruleSet: RuleSet }[]> {
  const sets: { name: string; ruleSet: RuleSet }[] = [];
  try {
    const ruleSet = await loadRuleSet({ dirs: ['rules'], templateExists: templatesIn(['templates']) });
    if (ruleSet.rules.length > 0) sets.push({ name: 'rules/ (shipped defaults)', ruleSet });
  } catch (e) {
    console.log(`rules/ did not load, skipped: ${(e as Error).message.split('\n')[0]}`);
  }
  const fixture = 'test/fixtures/rules/good/realistic';
  sets.push({ name: fixture, ruleSet: await loadRuleSet({ dirs: [fixture], templateExists: () => true }) });
  return sets;
}

/** Best-of-ROUNDS throughput of `fn`, awaited one call at a time. */
async function perSecond(n: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(1000, n); i++) await fn(); // warm-up: JIT, the engine's operator cache
  let best = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n / ROUNDS; i++) await fn();
    best = Math.max(best, (n / ROUNDS / (performance.now() - t0)) * 1000);
  }
  return best;
}

const line = (label: string, perSec: number): void =>
  console.log(
    `  ${label.padEnd(50)} ${perSec.toFixed(0).padStart(9)} /s ${(1e6 / perSec).toFixed(1).padStart(8)} µs`,
  );

async function benchSet(name: string, compiled: CompiledRuleSet, details: boolean): Promise<void> {
  const outcomes = await evaluateRules(compiled, facts);
  const comparisons = outcomes.reduce((n, o) => n + o.evidence.length, 0);
  console.log(
    `\n${name}: ${outcomes.length} rules, ${comparisons} comparisons; ${Object.keys(facts).length} facts, ` +
      `${compiled.factIds.length} named by the rules; fired: ${
        outcomes
          .filter((o) => o.fired)
          .map((o) => o.rule.id)
          .join(', ') || 'none'
      }`,
  );
  const same = JSON.stringify(outcomes) === JSON.stringify(evaluatePlain(compiled, facts));
  const jre = await perSecond(N, () => evaluateRules(compiled, facts));
  const plain = await perSecond(N * 5, () => evaluatePlain(compiled, facts));
  line('evaluateRules (json-rules-engine)', jre);
  line('evaluatePlain (same compiled conditions, plain JS)', plain);
  console.log(
    `  ratio: plain JS is ${(plain / jre).toFixed(1)}× faster; identical outcomes and evidence: ${same}`,
  );
  if (!details) return;

  console.log('  where the time goes:');
  const runner = (compiled.internal as CompiledInternal).runner;
  const named: Record<string, FactValue> = {};
  for (const id of compiled.factIds) if (facts[id] !== undefined) named[id] = facts[id];
  line(
    'engine.run alone (no type check, no evidence tree)',
    await perSecond(N, () => runner.run(named, (r) => r.size)),
  );
  line(
    'a fresh Engine per diagnosis (compile + run)',
    await perSecond(N / 4, () => evaluateRules(compileRuleSet(compiled.ruleSet), facts)),
  );
  const batch = 8;
  line(
    `${batch} diagnoses in flight at once (pool of Engines)`,
    (await perSecond(N / batch, () =>
      Promise.all(Array.from({ length: batch }, () => evaluateRules(compiled, facts))),
    )) * batch,
  );
}

const sets = await loadSets();
for (const [i, s] of sets.entries()) await benchSet(s.name, compileRuleSet(s.ruleSet), i === 0);
