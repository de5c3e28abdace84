import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/**
 * The broken-rule corpus through the CLI, as a rule author meets it: `memtriage rules validate DIR`
 * exits 2 and prints every problem as file:line:column. (The exact code and position of each issue
 * are pinned at the loader level in test/rules/broken-corpus.test.ts.)
 */
const ROOT = 'test/fixtures/rules/broken';
const templates = mkdtempSync(join(tmpdir(), 'mt-corpus-templates-'));
for (const id of ['demo', 'go-map-leak'])
  writeFileSync(join(templates, `${id}.hbs`), '{{#summary}}x{{/summary}}\n');

const validate = (dirs: string[]) =>
  runCli('rules', 'validate', ...dirs, '--no-default-rules', '--templates', templates);

describe('memtriage rules validate on the broken-rule corpus', () => {
  const cases = readdirSync(ROOT).sort();
  it('has at least 20 broken rule sets', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s: exit 2 with file:line:column', async (name) => {
    const dir = join(ROOT, name);
    const sub = readdirSync(dir);
    // Two directories (defaults + user) model the duplicate-id-across-dirs case.
    const dirs =
      sub.includes('defaults') && sub.includes('user') ? [join(dir, 'defaults'), join(dir, 'user')] : [dir];
    const r = await validate(dirs);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/problems? in the rules:\n/);
    // A whole-folder problem (rule.yml instead of rule.yaml) has no line; every other one has line:column.
    const position = name === 'rule-yml-extension' ? '' : ':\\d+:\\d+';
    expect(r.err).toMatch(
      new RegExp(`${ROOT.replace(/\//g, '\\/')}\\/${name}\\/[^\\s:]+${position}: [a-z-]+: `),
    );
  });
});
