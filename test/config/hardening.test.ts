import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { ConfigError } from '../../engine/config/config-error.js';
import { parseConfig } from '../../engine/config/load-config.js';
import { loadRuleFile } from '../../engine/rules/load-rule-file.js';

/** "Billion laughs": each level multiplies the one before by nine; six levels are 531 441 strings. */
const ALIAS_BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  '',
].join('\n');

function configError(text: string, env: Record<string, string> = {}): ConfigError {
  try {
    parseConfig('conf.yaml', text, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('a YAML alias bomb', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'mt-alias-'));
    dirs.push(d);
    return d;
  };

  it('in a config is a config error at the alias that amplifies', () => {
    const e = configError(ALIAS_BOMB);
    expect(e.code).toBe('MT_ERR_CONFIG_INVALID');
    expect(e.issues).toEqual([
      {
        file: 'conf.yaml',
        line: 3,
        column: 8,
        path: '(root)',
        message: expect.stringMatching(/aliases expand to too many nodes.*alias bomb/) as string,
      },
    ]);
  });

  it('in a rule file is a yaml-syntax issue at file:line:column', () => {
    const r = loadRuleFile('r/demo/rule.yaml', ALIAS_BOMB, { name: 'demo', dir: 'r/demo' }, () => true);
    expect(r.issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.code}`)).toEqual([
      'r/demo/rule.yaml:3:8 yaml-syntax',
    ]);
  });

  it('exits 2 with file:line:col from `serve --config` and `rules validate`, never "unexpected error"', async () => {
    const dir = tmp();
    const config = join(dir, 'config.yaml');
    writeFileSync(config, ALIAS_BOMB);
    const served = await runCli('serve', '--config', config);
    expect(served.code).toBe(2);
    expect(served.err).toContain(`${config}:3:8: (root): aliases expand to too many nodes`);
    expect(served.err).not.toMatch(/unexpected error/);

    const rules = join(dir, 'rules');
    mkdirSync(join(rules, 'demo'), { recursive: true });
    writeFileSync(join(rules, 'demo', 'rule.yaml'), ALIAS_BOMB);
    const validated = await runCli('rules', 'validate', rules);
    expect(validated.code).toBe(2);
    expect(validated.err).toContain(`${join(rules, 'demo', 'rule.yaml')}:3:8: yaml-syntax: aliases expand`);
    expect(validated.err).not.toMatch(/unexpected error/);
  });

  it('a few aliases are still fine', () => {
    const c = parseConfig(
      'conf.yaml',
      'targets:\n  - name: a\n    match: &m { service: x }\n    pid: 1\n  - name: b\n    match: *m\n    pid: 2\n',
      {},
    );
    expect(c.targets.map((t) => t.match.equal)).toEqual([{ service: 'x' }, { service: 'x' }]);
  });
});

describe('config errors never echo an expanded ${ENV} value', () => {
  it('a value that is not a size names the reference, not the secret', () => {
    const e = configError('server:\n  bodyLimit: ${BODY}\n', { BODY: 'SECRETONE' });
    expect(e.message).not.toContain('SECRETONE');
    expect(e.issues[0]).toMatchObject({
      line: 2,
      column: 14,
      path: 'server.bodyLimit',
      message: expect.stringContaining('cannot read "${BODY}" as bytes') as string,
    });
  });

  it('a value spliced into a longer string is hidden too, wherever a message repeats it', () => {
    const e = configError('server:\n  bodyLimit: 1${N}x\n  port: ${P}\n', { N: 'hunter22', P: 'x' });
    expect(e.message).not.toContain('hunter22');
    expect(e.message).toContain('"1${N}x"');
  });
});
