/**
 * Rule-stage benchmark (issue 3 §5): diagnoses per second through json-rules-engine versus the same
 * compiled conditions evaluated by plain JavaScript, on a realistic ~110-fact set.
 *
 *   npx tsx bench/rules.ts [N]
 *
 * Rule set: the shipped `rules/` when it holds valid rules, else the 10-rule fixture set in
 * test/fixtures/rules/good/realistic. Facts: test/fixtures/rules/facts/go-map-leak.json.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { CompiledInternal } from '../engine/rules/compile-rule-set.js';
import type { FactValue } from '../engine/facts/types.js';
import {
  compileRuleSet,
  evaluatePlain,
  evaluateRules,
  loadRuleSet,
  templatesIn,
} from '../engine/rules/index.js';
import type { RuleSet } from '../engine/rules/index.js';

const N = Number(process.argv[2] ?? 20_000);
const FIXTURE_RULES = 'test/fixtures/rules/good/realistic';

async function pickRules(): Promise<{ ruleSet: RuleSet; from: string }> {
  const hasShipped = (() => {
    try {
      return readdirSync('rules', { withFileTypes: true }).some((e) => e.isDirectory());
    } catch {
      return false;
    }
  })();
  if (hasShipped) {
    try {
      return {
        ruleSet: await loadRuleSet({ dirs: ['rules'], templateExists: templatesIn(['templates']) }),
        from: 'rules/',
      };
    } catch (e) {
      console.log(`rules/ did not load (${(e as Error).message.split('\n')[0]}); using the fixture set`);
    }
  }
  return {
    ruleSet: await loadRuleSet({ dirs: [FIXTURE_RULES], templateExists: () => true }),
    from: FIXTURE_RULES,
  };
}

async function time(label: string, n: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(500, n); i++) await fn(); // warm-up: JIT and the engine's operator cache
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  const ms = performance.now() - t0;
  const perSec = (n / ms) * 1000;
  console.log(
    `${label.padEnd(48)} ${perSec.toFixed(0).padStart(10)} /s  ${((ms * 1000) / n).toFixed(2).padStart(8)} µs each`,
  );
  return perSec;
}

const facts = JSON.parse(readFileSync('test/fixtures/rules/facts/go-map-leak.json', 'utf8')) as Record<
  string,
  FactValue
>;
const { ruleSet, from } = await pickRules();
const compiled = compileRuleSet(ruleSet);
const leaves = (await evaluateRules(compiled, facts)).reduce((n, o) => n + o.evidence.length, 0);
console.log(
  `${ruleSet.rules.length} rules (${from}), ${leaves} comparisons, ${Object.keys(facts).length} facts (${compiled.factIds.length} named by rules), N=${N}`,
);

const jre = await time('evaluateRules (json-rules-engine, pooled Engine)', N, () =>
  evaluateRules(compiled, facts),
);
const plain = await time('evaluatePlain (same conditions, plain JS)', N, () =>
  evaluatePlain(compiled, facts),
);
console.log(`ratio json-rules-engine / plain: ${(plain / jre).toFixed(1)}× slower`);

console.log('-- where the time goes --');
const runner = (compiled.internal as CompiledInternal).runner;
const named: Record<string, FactValue> = {};
for (const id of compiled.factIds) if (facts[id] !== undefined) named[id] = facts[id];
await time('engine.run only, facts the rules name', N, () => runner.run(named));
await time('engine.run only, all facts', N, () => runner.run(facts));
await time('fresh Engine per diagnosis (compile + run)', Math.min(N, 5000), () =>
  evaluateRules(compileRuleSet(ruleSet), facts),
);
const batch = 8;
const t0 = performance.now();
for (let i = 0; i < N / batch; i++)
  await Promise.all(Array.from({ length: batch }, () => evaluateRules(compiled, facts)));
console.log(
  `${`evaluateRules, ${batch} concurrent (pool of Engines)`.padEnd(48)} ${((N / (performance.now() - t0)) * 1000).toFixed(0).padStart(10)} /s`,
);

const same =
  JSON.stringify(await evaluateRules(compiled, facts)) === JSON.stringify(evaluatePlain(compiled, facts));
console.log(`outcomes identical (json-rules-engine vs plain): ${same}`);
