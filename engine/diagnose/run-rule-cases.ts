import { resolve } from 'node:path';
import type { FactSet } from '../facts/types.js';
import type { CompiledRuleSet, Rule, RuleCase } from '../rules/types.js';
import { diagnoseFacts } from './diagnose.js';
import { readIncident } from './diagnose-bundle.js';
import type { Diagnosis, IncidentInfo } from './types.js';

export interface CaseResult {
  rule: Rule;
  kind: 'fires' | 'doesNotFire';
  case: RuleCase;
  passed: boolean;
  /** Why it failed, in one line. */
  reason?: string;
  diagnosis: Diagnosis;
}

/**
 * Runs every case of the selected rules. Each case diagnoses its bundle with the WHOLE rule set, as
 * production would, so `topCause` checks ranking against every other rule. Bundles are parsed once.
 */
export async function runRuleCases(
  compiled: CompiledRuleSet,
  select: (rule: Rule) => boolean = () => true,
): Promise<CaseResult[]> {
  const cache = new Map<string, Promise<{ facts: FactSet; incident: IncidentInfo }>>();
  const load = (dir: string) => {
    const key = resolve(dir);
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = readIncident(dir);
      cache.set(key, hit);
    }
    return hit;
  };
  const results: CaseResult[] = [];
  for (const rule of compiled.ruleSet.rules) {
    if (!select(rule) || rule.cases === undefined) continue;
    for (const [kind, list] of [
      ['fires', rule.cases.fires],
      ['doesNotFire', rule.cases.doesNotFire],
    ] as const) {
      for (const c of list) {
        const { facts, incident } = await load(c.bundle);
        const diagnosis = await diagnoseFacts(facts, compiled, incident, { explain: true });
        const fired = diagnosis.causes.some((x) => x.ruleId === rule.id);
        const top = diagnosis.causes[0]?.ruleId;
        let reason: string | undefined;
        if (kind === 'fires' && !fired) reason = 'expected the rule to fire; it did not';
        else if (kind === 'fires' && c.topCause && top !== rule.id)
          reason = `expected the top cause; the top cause is ${top ?? 'none'}`;
        else if (kind === 'doesNotFire' && fired) reason = 'expected the rule not to fire; it fired';
        results.push({
          rule,
          kind,
          case: c,
          passed: reason === undefined,
          ...(reason ? { reason } : {}),
          diagnosis,
        });
      }
    }
  }
  return results;
}
