import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleSet, templatesIn } from '../../engine/rules/index.js';
import { readRuleSetCache, writeRuleSetCache } from '../../engine/rules/rule-set-cache.js';

/** A copy of the shipped rules in a temp folder, loaded and cached there. */
async function cachedCopy() {
  const work = mkdtempSync(join(tmpdir(), 'mt-rulecache-'));
  const rules = join(work, 'rules');
  cpSync('rules', rules, { recursive: true });
  const set = await loadRuleSet({ dirs: [rules], templateExists: templatesIn(['templates']) });
  const cacheFile = join(work, 'default-rules.json');
  writeRuleSetCache(cacheFile, rules, set);
  return { work, rules, set, cacheFile };
}

describe('the default rule set cache', () => {
  it('gives back the loaded rule set, rebased onto wherever the rules now are', async () => {
    const { work, rules, set, cacheFile } = await cachedCopy();
    // The package moved (installed elsewhere): paths follow it.
    const moved = join(work, 'moved-rules');
    cpSync(rules, moved, { recursive: true });
    const cached = readRuleSetCache(cacheFile, moved)!;
    expect(cached.rules.map((r) => r.id)).toEqual(set.rules.map((r) => r.id));
    expect(cached.rules[0]!.file).toBe(join(moved, set.rules[0]!.id, 'rule.yaml'));
    const { cases: _c, dir: _d, file: _f, readme: _r, ...first } = set.rules[0]!;
    expect(cached.rules[0]).toMatchObject(first);
  });

  it('is not used once a rule file changes, or when it is not readable', async () => {
    const { work, rules, cacheFile } = await cachedCopy();
    appendFileSync(join(rules, 'go-map-leak', 'rule.yaml'), '# tuned by the user\n');
    expect(readRuleSetCache(cacheFile, rules)).toBeUndefined();
    expect(readRuleSetCache(join(work, 'no-such-cache.json'), rules)).toBeUndefined();
  });
});
