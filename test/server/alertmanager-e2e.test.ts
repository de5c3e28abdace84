import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../engine/server/start-server.js';
import type { RunningServer } from '../../engine/server/start-server.js';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/until.js';

const AM = '/usr/bin/prometheus-alertmanager';
const dir = mkdtempSync(join(tmpdir(), 'mt-am-'));
let am: ChildProcess | undefined;
let server: RunningServer | undefined;
afterAll(async () => {
  am?.kill('SIGTERM');
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const lines = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { kind: string; incidentId: string })
    : [];

describe.skipIf(!existsSync(AM))('real Alertmanager (Debian prometheus-alertmanager) → memtriage', () => {
  it('firing then resolved arrive with bearer auth; one incident, runbook then resolve note', async () => {
    writeFileSync(
      join(dir, 'memtriage.yaml'),
      [
        'server: { dataDir: ./data }',
        "auth: { bearerTokens: ['${TOKEN}'] }",
        'channels: { archive: { type: file, path: ./runbooks.jsonl } }',
        'defaultRoute: { channels: [archive] }',
      ].join('\n'),
    );
    server = await startServer({
      config: join(dir, 'memtriage.yaml'),
      port: 0,
      env: { TOKEN: 'am-token-0123' },
      logger: false,
    });
    writeFileSync(join(dir, 'token'), 'am-token-0123');
    writeFileSync(
      join(dir, 'alertmanager.yml'),
      [
        'route: { receiver: memtriage, group_by: [alertname], group_wait: 1s, group_interval: 1s, repeat_interval: 1h }',
        'receivers:',
        '  - name: memtriage',
        '    webhook_configs:',
        `      - url: ${server.url}/webhook/alertmanager`,
        '        send_resolved: true',
        `        http_config: { authorization: { credentials_file: ${join(dir, 'token')} } }`,
      ].join('\n'),
    );
    const amPort = await freePort();
    am = spawn(
      AM,
      [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'am-data')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      { stdio: 'ignore' },
    );
    const api = `http://127.0.0.1:${amPort}`;
    const end = Date.now() + 15_000;
    while (
      !(await fetch(`${api}/-/ready`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > end) throw new Error('alertmanager did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const alert = {
      labels: { alertname: 'ContainerMemoryHigh', service: 'orders', severity: 'critical' },
      annotations: { summary: 'orders RSS at 92% of its limit' },
      startsAt: new Date(Date.now() - 60_000).toISOString(),
    };
    const post = (a: object) =>
      fetch(`${api}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([a]),
      });
    expect((await post(alert)).status).toBe(200);
    const file = join(dir, 'runbooks.jsonl');
    await until('the open delivery', () => lines(file).some((l) => l.kind === 'open'), 20_000);
    expect((await post({ ...alert, endsAt: new Date().toISOString() })).status).toBe(200);
    await until('the resolve delivery', () => lines(file).some((l) => l.kind === 'resolve'), 20_000);
    const got = lines(file);
    expect(got.map((l) => l.kind)).toEqual(['open', 'resolve']);
    expect(new Set(got.map((l) => l.incidentId)).size).toBe(1);
  }, 60_000);
});
