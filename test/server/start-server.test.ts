import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../../engine/server/start-server.js';
import type { RunningServer } from '../../engine/server/start-server.js';
import { until } from '../helpers/until.js';
import { startSlackFake } from '../integrations/slack/slack-fake.js';
import { AM_SAMPLE } from './server-fixture.js';

let dir: string;
let server: RunningServer | undefined;
let slack: Awaited<ReturnType<typeof startSlackFake>>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mt-serve-'));
  slack = await startSlackFake();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('startServer', () => {
  it('serves Alertmanager → Slack thread + file over real HTTP with bearer auth; repeat sends nothing; resolve threads', async () => {
    const cfg = join(dir, 'memtriage.yaml');
    writeFileSync(
      cfg,
      [
        'server: { dataDir: ./data }',
        "auth: { bearerTokens: ['${HOOK_TOKEN}'] }",
        'channels:',
        `  oncall: { type: slack, token: '\${SLACK_TOKEN}', channel: C42, apiUrl: '${slack.url}', timeout: 2s }`,
        '  archive: { type: file, path: ./runbooks.jsonl }',
        'routes:',
        '  - match: { severity: critical }',
        '    channels: [oncall, archive]',
      ].join('\n'),
    );
    server = await startServer({
      config: cfg,
      port: 0,
      env: { HOOK_TOKEN: 'hook-token-1', SLACK_TOKEN: 'xoxb-1' },
      logger: false,
    });
    const post = (body: unknown, token = 'hook-token-1') =>
      fetch(`${server!.url}/webhook/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    expect((await post(AM_SAMPLE, 'nope')).status).toBe(401);
    const res = await post(AM_SAMPLE);
    expect(res.status).toBe(202);
    const { incident } = (await res.json()) as { incident: string };
    const file = join(dir, 'runbooks.jsonl');
    await until('the Slack post and the file', () => slack.requests.length >= 1 && existsSync(file));
    expect(slack.requests[0]).toMatchObject({
      method: 'chat.postMessage',
      authorization: 'Bearer xoxb-1',
      params: { channel: 'C42' },
    });
    expect(existsSync(join(dir, 'data', 'bundles', incident, 'alert.json'))).toBe(true);

    expect(((await (await post(AM_SAMPLE)).json()) as { outcome: string }).outcome).toBe('repeat');
    const resolved = structuredClone(AM_SAMPLE) as typeof AM_SAMPLE;
    resolved.status = 'resolved';
    resolved.alerts[0]!.status = 'resolved';
    await post(resolved);
    await until('the resolve posts', () => slack.requests.length >= 4);
    await new Promise((r) => setTimeout(r, 200));
    // the short summary, the runbook in its thread, the resolve reply, the summary updated
    expect(slack.requests.map((r) => r.method)).toEqual([
      'chat.postMessage',
      'chat.postMessage',
      'chat.postMessage',
      'chat.update',
    ]);
    expect(slack.requests[1]?.params.thread_ts).toBe(slack.requests[3]?.params.ts);
    expect(slack.requests[2]?.params.thread_ts).toBe(slack.requests[3]?.params.ts);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain(
      'memtriage_alerts_received_total{source="alertmanager",status="firing",outcome="repeat"} 1',
    );
    // open, the runbook in the thread, resolve reply, chat.update
    expect(metrics).toContain('memtriage_deliveries_total{channel="oncall",outcome="delivered"} 4');
    expect(metrics).toMatch(/memtriage_pipeline_seconds_count\{outcome="ok"\} [12]/);
    expect(metrics).toContain('memtriage_outbox_depth{state="delivered"} 6');
    expect(metrics).toContain('memtriage_process_cpu_user_seconds_total');
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    // the web pages sit behind the same credentials
    expect((await fetch(`${server.url}/`)).status).toBe(401);
    expect(
      (await fetch(`${server.url}/`, { headers: { authorization: 'Bearer hook-token-1' } })).status,
    ).toBe(200);
  });

  it('runs with no config: loopback, stdout channel; a bad rules dir on reload is refused and the old rules stay', async () => {
    server = await startServer({ port: 0, dataDir: join(dir, 'data'), logger: false });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.config.defaultChannels).toEqual(['stdout']);
    const ok = await server.reload();
    expect(ok).toMatchObject({ ok: true, rules: 14 });
    await server.close();

    const rulesDir = join(dir, 'my-rules');
    mkdirSync(rulesDir);
    const cfg = join(dir, 'c.yaml');
    writeFileSync(cfg, `rules: { dirs: [${JSON.stringify(rulesDir)}] }\n`);
    server = await startServer({ config: cfg, port: 0, dataDir: join(dir, 'data2'), logger: false });
    mkdirSync(join(rulesDir, 'broken'));
    writeFileSync(
      join(rulesDir, 'broken', 'rule.yaml'),
      'id: broken\nwhen: { all: [ { fact: nope.fact, gt: 1 } ] }\n',
    );
    const bad = await server.reload();
    expect(bad.ok).toBe(false);
    expect(bad.ok === false && bad.error.message).toContain('rule.yaml');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
