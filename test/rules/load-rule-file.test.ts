import { describe, expect, it } from 'vitest';
import { formatIssues } from '../../engine/rules/index.js';
import { loadRuleFile } from '../../engine/rules/load-rule-file.js';

/** One rule.yaml from a string: the cases the fixture corpus does not spell out. */
const HEAD = 'id: demo\ntitle: Demo\nseverity: info\nrunbook: demo\n';
const check = (yaml: string) =>
  loadRuleFile('r/demo/rule.yaml', yaml, { name: 'demo', dir: 'r/demo' }, (id) => id === 'demo').issues.map(
    (i) => `${i.line}:${i.column} ${i.code}`,
  );

describe('loadRuleFile', () => {
  it('accepts a valid file', () => {
    expect(check(`${HEAD}when: { fact: cgroup.oomKills, gt: 0 }\n`)).toEqual([]);
  });

  it('says which severity an abbreviation means (severity: warn)', () => {
    const issues = loadRuleFile(
      'r/demo/rule.yaml',
      'id: demo\ntitle: Demo\nseverity: warn\nrunbook: demo\nwhen: { fact: cgroup.oomKills, gt: 0 }\n',
      { name: 'demo', dir: 'r/demo' },
      (id) => id === 'demo',
    ).issues;
    expect(issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([
      '3:11 severity must be one of info, warning, critical, not the string "warn" (did you mean "warning"?)',
    ]);
  });

  it('requires when', () => {
    expect(check(HEAD)).toEqual(['1:1 missing-key']);
  });

  it('finds mistakes deep in nested groups, each at its own position', () => {
    const yaml = `${HEAD}when:
  any:
    - all:
        - { fact: cgroup.oomKills, gt: 0 }
        - not:
            any:
              - { fact: runtime.kind, greater: 1 }
              - { fact: cgroup.usageRatio, gt: 120MiB }
    - { fact: cgroup.nope, gt: 1 }
`;
    expect(check(yaml)).toEqual(['11:39 unknown-operator', '12:48 unit-mismatch', '13:15 unknown-fact']);
  });

  it('says a list under not is not a condition', () => {
    expect(check(`${HEAD}when:\n  not: [{ fact: cgroup.oomKills, gt: 0 }]\n`)).toEqual(['6:8 invalid-type']);
  });

  it('reports a group mixed with a comparison as unknown keys of the group', () => {
    expect(
      check(`${HEAD}when:\n  all: [{ fact: cgroup.oomKills, gt: 0 }]\n  fact: cgroup.oomKills\n`),
    ).toEqual(['7:3 unknown-key']);
  });

  it('needs a fact in every comparison', () => {
    expect(check(`${HEAD}when: { gt: 1 }\n`)).toEqual(['5:7 missing-key']);
  });

  it('reports a type error in an operand as a bad operand', () => {
    expect(check(`${HEAD}when: { fact: cgroup.oomKills, gt: [1] }\n`)).toEqual(['5:36 bad-operand']);
    expect(check(`${HEAD}when: { fact: runtime.kind, ne: [go] }\n`)).toEqual(['5:33 bad-operand']);
  });
});

describe('formatIssues', () => {
  it('sorts by file and position and drops the position when there is none', () => {
    expect(
      formatIssues([
        { file: 'b/rule.yaml', line: 2, column: 1, code: 'unknown-key', message: 'x' },
        { file: 'a', line: 0, column: 0, code: 'missing-rule-file', message: 'y' },
        { file: 'b/rule.yaml', line: 1, column: 9, code: 'id-mismatch', message: 'z' },
      ]),
    ).toBe('a: missing-rule-file: y\nb/rule.yaml:1:9: id-mismatch: z\nb/rule.yaml:2:1: unknown-key: x');
  });
});
