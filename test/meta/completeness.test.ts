import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCompiledRules } from '../../engine/diagnose/load-rules.js';

/** Code is registered, data is discovered; this keeps the discovered data complete (docs/architecture.md, "Code is registered, data is discovered"). */
describe('default ruleset completeness', () => {
  it('every rule folder has rule.yaml, cases.yaml with both kinds of case, README.md and its runbook template', async () => {
    const compiled = await loadCompiledRules({ withCases: true });
    const folders = readdirSync('rules', { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(compiled.ruleSet.rules.map((r) => r.id).sort()).toEqual(folders.map((d) => d.name).sort());
    for (const rule of compiled.ruleSet.rules) {
      expect(rule.cases?.fires.length, `${rule.id} fires cases`).toBeGreaterThan(0);
      expect(rule.cases?.doesNotFire.length, `${rule.id} doesNotFire cases`).toBeGreaterThan(0);
      expect(existsSync(join('rules', rule.id, 'README.md')), `${rule.id} README`).toBe(true);
      expect(existsSync(join('templates', `${rule.runbook}.hbs`)), `${rule.id} template`).toBe(true);
    }
  });

  it('covers the root causes docs/architecture.md names', async () => {
    const ids = (await loadCompiledRules()).ruleSet.rules.map((r) => r.id);
    for (const id of [
      'go-map-leak',
      'go-slice-overcap',
      'go-goroutine-leak',
      'go-gc-thrash',
      'go-heap-fragmentation',
      'go-no-memlimit',
      'jvm-offheap',
      'kswapd-pressure',
      'cgroup-oom-kill',
    ]) {
      expect(ids).toContain(id);
    }
  });
});
