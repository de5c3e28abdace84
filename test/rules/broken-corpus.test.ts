import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssues, loadRuleSet, RuleLoadError } from '../../engine/rules/index.js';
import type { RuleIssue, RuleIssueCode } from '../../engine/rules/index.js';

/**
 * The broken-rule corpus: every folder under test/fixtures/rules/broken is a small rules directory
 * with one mistake (or, for `many-problems-one-file`, several), and this table says exactly which
 * issue code the loader must report, in which file, at which line:column. Positions were checked by
 * hand against the files (columns are 1-based, as editors show them).
 */
const ROOT = 'test/fixtures/rules/broken';
const TEMPLATES = new Set(['demo', 'go-map-leak']);

type Expected = [code: RuleIssueCode, file: string, line: number, column: number];
interface Case {
  name: string;
  issues: Expected[];
  /** A phrase the first issue's message must contain (the "did you mean", the unit named, …). */
  says?: string;
}

const CASES: Case[] = [
  { name: 'atomic-one-bad-of-two', issues: [['unit-mismatch', 'go-map-leak/rule.yaml', 7, 44]] },
  {
    name: 'bad-operator-name',
    issues: [['unknown-operator', 'demo/rule.yaml', 7, 40]],
    says: 'did you mean "gt"',
  },
  { name: 'bad-severity', issues: [['invalid-value', 'demo/rule.yaml', 3, 11]] },
  { name: 'between-low-above-high', issues: [['bad-operand', 'demo/rule.yaml', 7, 49]] },
  { name: 'between-one-value', issues: [['bad-operand', 'demo/rule.yaml', 7, 49]] },
  {
    name: 'cases-missing-bundle',
    issues: [['missing-bundle', 'demo/cases.yaml', 4, 30]],
    says: 'pub-healthy-goo',
  },
  { name: 'cases-topcause-in-doesnotfire', issues: [['unknown-key', 'demo/cases.yaml', 4, 5]] },
  { name: 'cases-unknown-key', issues: [['unknown-key', 'demo/cases.yaml', 3, 1]] },
  { name: 'comments-only', issues: [['empty-file', 'demo/rule.yaml', 1, 1]] },
  { name: 'condition-not-a-mapping', issues: [['invalid-type', 'demo/rule.yaml', 8, 7]] },
  { name: 'confidence-out-of-range', issues: [['invalid-value', 'demo/rule.yaml', 5, 13]] },
  {
    name: 'duplicate-id-across-dirs',
    issues: [['duplicate-id', 'user/demo/rule.yaml', 1, 5]],
    says: 'defaults/demo/rule.yaml:1:5',
  },
  { name: 'empty-all', issues: [['empty-group', 'demo/rule.yaml', 6, 8]], says: 'at least one condition' },
  { name: 'empty-file', issues: [['empty-file', 'demo/rule.yaml', 1, 1]] },
  { name: 'id-not-folder', issues: [['id-mismatch', 'demo/rule.yaml', 1, 5]], says: 'folder name "demo"' },
  { name: 'id-not-kebab', issues: [['invalid-value', 'Demo_Rule/rule.yaml', 1, 5]] },
  { name: 'in-not-a-list', issues: [['bad-operand', 'demo/rule.yaml', 8, 33]], says: 'non-empty list' },
  {
    name: 'many-problems-one-file',
    issues: [
      ['invalid-value', 'demo/rule.yaml', 3, 11],
      ['unit-mismatch', 'demo/rule.yaml', 7, 44],
      ['unknown-fact', 'demo/rule.yaml', 8, 15],
      ['unknown-operator', 'demo/rule.yaml', 9, 34],
    ],
  },
  {
    name: 'missing-template',
    issues: [['missing-template', 'demo/rule.yaml', 4, 10]],
    says: 'templates/no-such-runbook.hbs',
  },
  { name: 'missing-title', issues: [['missing-key', 'demo/rule.yaml', 1, 1]], says: '"title"' },
  { name: 'no-operator', issues: [['no-operator', 'demo/rule.yaml', 8, 7]] },
  { name: 'not-a-mapping-list', issues: [['not-a-mapping', 'demo/rule.yaml', 1, 1]] },
  { name: 'not-a-mapping-scalar', issues: [['not-a-mapping', 'demo/rule.yaml', 1, 1]] },
  {
    name: 'operator-not-allowed',
    issues: [['operator-not-allowed', 'demo/rule.yaml', 8, 29]],
    says: 'a string fact',
  },
  { name: 'present-false', issues: [['bad-operand', 'demo/rule.yaml', 8, 43]] },
  {
    name: 'rule-yml-extension',
    issues: [['missing-rule-file', 'demo', 0, 0]],
    says: 'rename it to rule.yaml',
  },
  { name: 'two-operators', issues: [['multiple-operators', 'demo/rule.yaml', 7, 7]], says: 'use between' },
  { name: 'unit-ambiguous-mb', issues: [['ambiguous-unit', 'demo/rule.yaml', 7, 44]], says: 'write 512MiB' },
  {
    name: 'unit-bytes-on-seconds',
    issues: [['unit-mismatch', 'demo/rule.yaml', 8, 46]],
    says: 'measured in seconds',
  },
  {
    name: 'unit-duration-on-bytes',
    issues: [['unit-mismatch', 'demo/rule.yaml', 8, 39]],
    says: 'is a duration',
  },
  {
    name: 'unit-number-on-string',
    issues: [['unit-mismatch', 'demo/rule.yaml', 8, 33]],
    says: 'the fact is a string',
  },
  {
    name: 'unit-percent-on-bytes',
    issues: [['unit-mismatch', 'demo/rule.yaml', 7, 44]],
    says: 'measured in bytes',
  },
  {
    name: 'unit-rate-on-bytes',
    issues: [['unit-mismatch', 'demo/rule.yaml', 7, 44]],
    says: 'is a byte rate',
  },
  {
    name: 'unit-string-on-boolean',
    issues: [['unit-mismatch', 'demo/rule.yaml', 8, 45]],
    says: 'write true or false',
  },
  {
    name: 'unit-string-on-number',
    issues: [['unit-mismatch', 'demo/rule.yaml', 8, 40]],
    says: 'cannot read "lots" as count',
  },
  {
    name: 'unknown-fact-no-prefix',
    issues: [['unknown-fact', 'demo/rule.yaml', 7, 15]],
    says: 'did you mean "memstats.heapInuseBytes"',
  },
  {
    name: 'unknown-fact-typo',
    issues: [['unknown-fact', 'demo/rule.yaml', 8, 15]],
    says: 'did you mean "gctrace.liveHeapSlopeBytesPerSecond"',
  },
  { name: 'unknown-key-in-condition', issues: [['unknown-key', 'demo/rule.yaml', 8, 50]] },
  { name: 'unknown-key-top', issues: [['unknown-key', 'demo/rule.yaml', 5, 1]] },
  {
    name: 'yaml-bad-indent',
    issues: [
      ['yaml-syntax', 'demo/rule.yaml', 8, 1],
      ['yaml-syntax', 'demo/rule.yaml', 8, 4],
      ['yaml-syntax', 'demo/rule.yaml', 8, 4],
    ],
  },
  {
    name: 'yaml-duplicate-key',
    issues: [['yaml-duplicate-key', 'demo/rule.yaml', 4, 1]],
    says: 'DUPLICATE_KEY',
  },
  {
    name: 'yaml-tab-indent',
    issues: [
      ['yaml-syntax', 'demo/rule.yaml', 6, 1],
      ['yaml-syntax', 'demo/rule.yaml', 7, 1],
    ],
    says: 'TAB_AS_INDENT',
  },
  { name: 'yaml-two-documents', issues: [['yaml-syntax', 'demo/rule.yaml', 8, 1]] },
  { name: 'yaml-unclosed-flow-map', issues: [['yaml-syntax', 'demo/rule.yaml', 8, 5]] },
];

function dirsFor(name: string): string[] {
  const dir = join(ROOT, name);
  return name === 'duplicate-id-across-dirs' ? [join(dir, 'defaults'), join(dir, 'user')] : [dir];
}

async function issuesOf(name: string): Promise<readonly RuleIssue[]> {
  try {
    await loadRuleSet({ dirs: dirsFor(name), templateExists: (id) => TEMPLATES.has(id), withCases: true });
  } catch (e) {
    if (e instanceof RuleLoadError) return e.issues;
    throw e;
  }
  throw new Error(`${name}: the broken rule set loaded without an error`);
}

describe('broken-rule corpus', () => {
  it('covers every folder in the corpus, and at least 25 of them', () => {
    const folders = readdirSync(ROOT).sort();
    expect(CASES.map((c) => c.name).sort()).toEqual(folders);
    expect(folders.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES)('$name', async ({ name, issues, says }) => {
    const got = await issuesOf(name);
    const base = join(ROOT, name);
    expect(got.map((i) => [i.code, i.file.replace(`${base}/`, ''), i.line, i.column])).toEqual(issues);
    if (says) expect(got[0]?.message).toContain(says);
  });

  it('the error carries MT_ERR_RULE_INVALID and prints file:line:column: code: message lines', async () => {
    const err = await loadRuleSet({
      dirs: [join(ROOT, 'many-problems-one-file')],
      templateExists: () => true,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuleLoadError);
    const e = err as RuleLoadError;
    expect(e.code).toBe('MT_ERR_RULE_INVALID');
    const lines = formatIssues(e.issues).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      `${ROOT}/many-problems-one-file/demo/rule.yaml:3:11: invalid-value: severity must be one of info, warning, critical, not the string "urgent"`,
    );
    expect(e.message).toContain('4 problems in the rules');
  });

  it('reports every broken directory at once when they are loaded together', async () => {
    const dirs = CASES.filter((c) => c.name !== 'duplicate-id-across-dirs').map((c) => join(ROOT, c.name));
    const err = (await loadRuleSet({ dirs, templateExists: (id) => TEMPLATES.has(id) }).catch(
      (e: unknown) => e,
    )) as RuleLoadError;
    const files = new Set(err.issues.map((i) => i.file.split('/')[4]));
    // Every case folder contributes, except that "demo" is now also a duplicate id across them.
    for (const c of CASES) if (c.name !== 'duplicate-id-across-dirs') expect(files).toContain(c.name);
  });
});
