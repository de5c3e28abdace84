import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../engine/config/config-error.js';
import { loadConfig, parseConfig } from '../../engine/config/load-config.js';
import { runCli } from '../helpers/run-cli.js';

const ENV = {
  MEMTRIAGE_WEBHOOK_TOKEN: 'tok-123456',
  MEMTRIAGE_WEBHOOK_PASSWORD: 'pw-abcdef',
  SLACK_BOT_TOKEN: 'xoxb-secret-slack',
  SMTP_PASSWORD: 'smtp-secret',
};

function issues(text: string, env: Record<string, string> = {}) {
  try {
    parseConfig('conf.yaml', text, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('server config', () => {
  it('loads examples/config.yaml with secrets from the environment, never printing them', async () => {
    const c = await loadConfig('examples/config.yaml', ENV);
    expect(c.server).toMatchObject({ host: '127.0.0.1', port: 9767, bodyLimitBytes: 1048576 });
    expect(c.server.dataDir).toMatch(/memtriage-data$/);
    expect(c.auth.bearerTokens[0]?.reveal()).toBe('tok-123456');
    const slack = c.channels.oncall;
    expect(slack?.type === 'slack' && slack.token.reveal()).toBe('xoxb-secret-slack');
    expect(c.targets[0]).toMatchObject({
      name: 'orders-api',
      durationMs: 10_000,
      intervalMs: 2_000,
      requestTimeoutMs: 3_000,
    });
    expect(c.targets[0]?.match.regex.namespace?.test('prod')).toBe(true);
    expect(c.targets[0]?.match.regex.namespace?.test('production')).toBe(false);
    expect(c.targets[1]?.prometheus).toMatchObject({ lookbackSeconds: 900, stepSeconds: 15 });
    expect(c.routes).toHaveLength(2);
    expect(c.outbox).toMatchObject({
      maxAttempts: 200,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      retryForMs: 3_600_000,
      drainMs: 10_000,
    });
    const dump = JSON.stringify(c) + inspect(c, { depth: 10 });
    for (const secret of Object.values(ENV)) expect(dump).not.toContain(secret);
  });

  it('hostFiles: on for a target read locally (pid, cgroup), off for a remote one, as written when set', () => {
    const c = parseConfig(
      'conf.yaml',
      [
        'targets:',
        '  - { name: remote, go: http://10.0.4.17:6060 }',
        '  - { name: local, pid: 42 }',
        '  - { name: agent, go: http://10.0.4.17:6060, hostFiles: true }',
        '  - { name: notmine, cgroup: /sys/fs/cgroup/x, hostFiles: false }',
      ].join('\n'),
      {},
    );
    expect(c.targets.map((t) => [t.name, t.hostFiles])).toEqual([
      ['remote', false],
      ['local', true],
      ['agent', true],
      ['notmine', false],
    ]);
  });

  it('server.externalUrl may not carry a user or password (it is linked from every Slack post and email)', () => {
    for (const url of ['https://ops:s3cret@ops.example/memtriage', 'https://token@ops.example/']) {
      const got = issues(`server:\n  externalUrl: '${url}'\n`);
      expect(got.map((i) => `${i.line} ${i.path}`)).toEqual(['2 server.externalUrl']);
      expect(got[0]!.message).toMatch(/user or password/);
      expect(JSON.stringify(got)).not.toContain('s3cret');
    }
    expect(
      parseConfig('conf.yaml', "server:\n  externalUrl: 'https://ops.example/m'\n", {}).server.externalUrl
        ?.href,
    ).toBe('https://ops.example/m');
  });

  it('store.url: a postgres URL kept secret, anything else refused, and no target slower than pipeline.takeOverAfter', () => {
    const c = parseConfig(
      'conf.yaml',
      "store: { url: '${DB}', poolSize: 4 }\npipeline: { takeOverAfter: 90s }\n",
      { DB: 'postgres://memtriage:hunter2@db:5432/m' },
    );
    expect(c.store.url?.reveal()).toBe('postgres://memtriage:hunter2@db:5432/m');
    expect(JSON.stringify(c)).not.toContain('hunter2');
    expect(c.store.poolSize).toBe(4);
    expect(c.pipeline.takeOverAfterMs).toBe(90_000);
    expect(parseConfig('conf.yaml', '', {}).store).toEqual({ poolSize: 10 });
    const bad = issues("store: { url: 'mysql://root:hunter2@db/x' }\n");
    expect(bad.map((i) => `${i.line} ${i.path}`)).toEqual(['1 store.url']);
    expect(bad[0]!.message).toMatch(/postgres:\/\//);
    expect(JSON.stringify(bad)).not.toContain('hunter2');
    const slow = issues(
      [
        "store: { url: 'postgres://db/m' }",
        'pipeline: { takeOverAfter: 30s }',
        'targets:',
        '  - { name: slow, match: { service: a }, go: "http://127.0.0.1:6060", duration: 60s }',
        '',
      ].join('\n'),
    );
    expect(slow.map((i) => `${i.line} ${i.path}`)).toEqual(['4 targets[0].duration']);
    expect(slow[0]!.message).toMatch(/shorter than pipeline.takeOverAfter \(30 s\)/);
  });

  it('an empty file is the embedded defaults', () => {
    const c = parseConfig('/etc/memtriage/empty.yaml', '# nothing\n', {});
    expect(c.defaultChannels).toEqual(['stdout']);
    expect(c.auth.bearerTokens).toHaveLength(0);
    expect(c.server.dataDir).toBe('/etc/memtriage/memtriage-data');
  });

  it('a misspelt channel type gets a suggestion, and a bad channel name does not hide its channel', () => {
    const got = issues(
      ['channels:', '  Oncall:', '    type: slak', '    token: x', '  pager: { type: emial }'].join('\n'),
    );
    expect(got.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      '2:3 channels.Oncall: channel names are lowercase letters, digits, - and _ (write "oncall")',
      '3:11 channels.Oncall.type: type "slak" is not a channel type (stdout, file, slack, email): did you mean "slack"?',
      '5:18 channels.pager.type: type "emial" is not a channel type (stdout, file, slack, email): did you mean "email"?',
    ]);
    expect(issues('channels: { oncall: { path: x } }')[0]!.message).toBe(
      'a channel needs `type`: one of stdout, file, slack, email',
    );
    // a duration in the config is "the value", not a rule's fact
    expect(issues('outbox: { baseDelay: 5 parsecs }')[0]!.message).toContain(
      'the value is measured in seconds',
    );
  });

  it('reports every problem at once with file:line:column', () => {
    const text = [
      'server:',
      '  port: 70000', // 2
      '  bodyLimt: 1MiB', // 3 typo
      'channels:',
      '  oncall:',
      '    type: slack',
      "    token: '${SLACK_BOT_TOKEN}'", // 7 unset
      '    channel: C1',
      'routes:',
      '  - channels: [oncall, pager]', // 10 unknown channel
      "    matchRe: { severity: '(' }", // 11 bad regex
      'outbox:',
      '  baseDelay: 5 parsecs', // 13
    ].join('\n');
    const got = issues(text);
    const at = (line: number) =>
      got.filter((i) => i.line === line).map((i) => `${i.column} ${i.path}: ${i.message}`);
    expect(at(2)[0]).toMatch(/^9 server\.port: /);
    expect(at(3)).toEqual(['3 server.bodyLimt: unknown key "bodyLimt"']);
    expect(at(7)[0]).toContain('environment variable SLACK_BOT_TOKEN is not set');
    expect(got.every((i) => i.file === 'conf.yaml')).toBe(true);
    expect(at(13)[0]).toMatch(/outbox\.baseDelay: cannot read "5 parsecs"/);
    // cross-reference problems come in the same pass as the shape's, not after it is right
    expect(at(10)).toEqual(['24 routes[0].channels[1]: no channel named "pager"; defined: stdout, oncall']);
    expect(at(11)[0]).toMatch(/^26 routes\[0\]\.matchRe\.severity: not a regular expression: /);
    // and in file order
    const lines = got.map((i) => i.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('a schema error, a missing channel, a bad regex and a duplicate name in one run; serve exits 2', async () => {
    const text = [
      'server:',
      '  port: http', // 2 schema: not a number
      'channels:',
      '  oncall: { type: stdout }',
      '  Pager: { type: emial }', // 5 name and type
      'targets:',
      '  - name: api',
      '    go: http://10.0.0.1:6060',
      "    matchRe: { namespace: 'prod(' }", // 9 regex
      '  - name: api', // 10 duplicate
      '    go: http://10.0.0.2:6060',
      '    timeout: soon', // 12 schema
      '  - name: web', // 13 a valid target with its own problem: nothing to fetch
      '    match: { service: web }',
      'routes:',
      '  - channels: [oncall, pagr]', // 16 unknown channel
      "    matchRe: { severity: '[' }", // 17 regex
      'defaultRoute: { channels: [nobody] }', // 18 unknown channel
      '',
    ].join('\n');
    expect(issues(text).map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      expect.stringMatching(/^2:9 server\.port: /),
      '5:3 channels.Pager: channel names are lowercase letters, digits, - and _ (write "pager")',
      '5:18 channels.Pager.type: type "emial" is not a channel type (stdout, file, slack, email): did you mean "email"?',
      expect.stringMatching(/^9:27 targets\[0\]\.matchRe\.namespace: not a regular expression: /),
      '10:11 targets[1].name: duplicate target name "api" (targets[0] has it too)',
      expect.stringMatching(/^12:14 targets\[1\]\.timeout: cannot read "soon"/),
      '13:5 targets[2]: a target needs at least one of go, prometheus, cgroup, pid',
      '16:24 routes[0].channels[1]: no channel named "pagr"; defined: stdout, oncall, Pager',
      expect.stringMatching(/^17:26 routes\[0\]\.matchRe\.severity: not a regular expression: /),
      '18:28 defaultRoute.channels[0]: no channel named "nobody"; defined: stdout, oncall, Pager',
    ]);

    const dir = mkdtempSync(join(tmpdir(), 'mt-cfg-'));
    try {
      const file = join(dir, 'memtriage.yaml');
      writeFileSync(file, text);
      const r = await runCli('serve', '--config', file, '--port', '0');
      expect(r.code).toBe(2);
      for (const at of ['2:9', '5:18', '9:27', '10:11', '12:14', '13:5', '16:24', '17:26', '18:28'])
        expect(r.err).toContain(`${file}:${at}: `);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('two channels with one name (a duplicate YAML key) come with the other problems', () => {
    const got = issues(
      [
        'server: { port: x }',
        'channels:',
        '  ops: { type: stdout }',
        '  ops: { type: file, path: /tmp/x }',
        'routes: [{ channels: [opz] }]',
      ].join('\n'),
    );
    expect(got.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      expect.stringMatching(/^1:17 server\.port: /),
      '4:3 channels.ops: two channels named "ops": a key may appear once in a map',
      '5:23 routes[0].channels[0]: no channel named "opz"; defined: stdout, ops',
    ]);
    expect(issues('routes:\n  - { channels: [stdout], channels: [stdout] }\n')).toEqual([
      expect.objectContaining({
        line: 2,
        column: 27,
        path: 'routes[0].channels',
        message: '"channels" twice: a key may appear once in a map',
      }),
    ]);
    // any other YAML error still stops there: there is no document to check
    expect(issues('server: { port: x }\nchannels: [\n').every((i) => i.path === '(root)')).toBe(true);
  });

  it('YAML syntax errors and unknown channel types are located', () => {
    const syntax = issues('server:\n  port: 1\n port: 2\n');
    expect(syntax[0]).toMatchObject({ file: 'conf.yaml', line: 3 });
    const type = issues('channels:\n  x:\n    type: pager\n');
    expect(type[0]).toMatchObject({ line: 3, path: 'channels.x.type' });
  });

  it('rejects alert-independent target URLs that are not http(s) and targets with nothing to fetch', () => {
    const got = issues('targets:\n  - name: a\n    go: file:///etc/passwd\n  - name: b\n');
    expect(got.map((i) => i.path)).toEqual(expect.arrayContaining(['targets[0].go']));
    const empty = issues('targets:\n  - name: b\n    match: { a: b }\n');
    expect(empty[0]?.message).toContain('at least one of go, prometheus, cgroup, pid');
  });
});

describe('targets built from alert labels', () => {
  it('a label-built go URL without allow is a config error at file:line:column, and serve exits 2', async () => {
    const text = ['targets:', '  - name: checkout', "    go: 'http://{{ labels.instance }}'", ''].join('\n');
    expect(issues(text)).toEqual([
      expect.objectContaining({
        line: 3,
        column: 9,
        path: 'targets[0].go',
        message: expect.stringMatching(/needs `allow`/),
      }),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'mt-cfg-'));
    try {
      writeFileSync(join(dir, 'memtriage.yaml'), text);
      const r = await runCli('serve', '--config', join(dir, 'memtriage.yaml'), '--port', '0');
      expect(r.code).toBe(2);
      expect(r.err).toContain(`${join(dir, 'memtriage.yaml')}:3:9`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad allow entries, allow beside a fixed URL and bad templates are located too', () => {
    const text = [
      'targets:',
      '  - name: a',
      "    go: 'http://{{ labels.instance }}'",
      "    allow: ['10.0.0.0/8', '0.0.0.0/0', 'host']",
      '  - name: b',
      '    go: http://10.0.0.1:6060',
      "    allow: ['10.0.0.0/8']",
      '  - name: c',
      "    go: 'http://x-{{ labels.instance }}'",
      "    allow: ['10.0.0.0/8']",
    ].join('\n');
    expect(issues(text).map((i) => `${i.line}:${i.column} ${i.path}`)).toEqual([
      '4:27 targets[0].allow[1]',
      '4:40 targets[0].allow[2]',
      '7:12 targets[1].allow',
      '9:9 targets[2].go',
    ]);
  });

  it('loads a label-built target with its allow list', () => {
    const c = parseConfig(
      'conf.yaml',
      "targets: [{ name: a, go: 'http://{{ labels.instance }}', allow: ['10.0.0.0/8', '*.svc:6060'] }]",
      {},
    );
    expect(c.targets[0]?.go).toBeUndefined();
    expect(c.targets[0]?.goFromLabels?.template.label).toBe('instance');
    expect(c.targets[0]?.goFromLabels?.allow.cidrs).toHaveLength(1);
  });
});
