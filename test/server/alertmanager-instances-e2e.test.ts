import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../engine/server/start-server.js';
import { formatRunbookMarkdown } from '../../engine/runbook/index.js';
import type { Runbook } from '../../engine/runbook/types.js';
import { loadCaptured, startReplayServer, type ReplayServer } from '../collect/helpers/replay-server.js';
import { ALERTMANAGER, startAlertmanager, type RunningAlertmanager } from '../helpers/alertmanager.js';
import { until } from '../helpers/until.js';

const dir = mkdtempSync(join(tmpdir(), 'mt-am-inst-'));
let am: RunningAlertmanager | undefined;
let server: RunningServer | undefined;
const gos: ReplayServer[] = [];
afterAll(async () => {
  await am?.stop();
  await server?.close();
  for (const g of gos) await g.close();
  rmSync(dir, { recursive: true, force: true });
});

const opened = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { kind: string; incidentId: string; runbook?: Runbook })
        .filter((l) => l.kind === 'open')
    : [];

describe.skipIf(!existsSync(ALERTMANAGER))('real Alertmanager, one group of two instances', () => {
  it('each instance gets its own incident, evidence from its own address (label-built target) and runbook', async () => {
    gos.push(await startReplayServer(loadCaptured('examples/incidents/pub-map-leak'), { host: '127.0.0.1' }));
    gos.push(
      await startReplayServer(loadCaptured('examples/incidents/pub-gc-thrash'), { host: '127.0.0.2' }),
    );
    const instances = gos.map((g) => new URL(g.url).host);
    writeFileSync(
      join(dir, 'memtriage.yaml'),
      [
        'server: { dataDir: ./data }',
        "auth: { bearerTokens: ['am-token-0123'] }",
        'channels: { archive: { type: file, path: ./runbooks.jsonl } }',
        'defaultRoute: { channels: [archive] }',
        'targets:',
        '  - name: checkout',
        '    match: { service: checkout }',
        "    go: 'http://{{ labels.instance }}'",
        "    allow: ['127.0.0.1/32', '127.0.0.2/32']",
        '    duration: 0s',
      ].join('\n'),
    );
    server = await startServer({ config: join(dir, 'memtriage.yaml'), port: 0, logger: false });
    am = await startAlertmanager(dir, {
      webhook: `${server.url}/webhook/alertmanager`,
      token: 'am-token-0123',
      groupBy: ['alertname'],
    });
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const res = await fetch(`${am.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        instances.map((instance) => ({
          labels: { alertname: 'GoMemoryHigh', service: 'checkout', severity: 'critical', instance },
          annotations: { summary: `checkout ${instance} heap growing` },
          startsAt,
        })),
      ),
    });
    expect(res.status).toBe(200);
    const file = join(dir, 'runbooks.jsonl');
    const got = await until(
      'two runbooks',
      () => (opened(file).length === 2 ? opened(file) : undefined),
      30_000,
    );
    expect(new Set(got.map((o) => o.incidentId)).size).toBe(2);
    expect(got.map((o) => o.runbook!.labels.instance).sort()).toEqual([...instances].sort());
    for (const g of gos) expect(g.requests.filter((r) => r === '/debug/vars')).toHaveLength(1);
    for (const o of got) {
      const other = instances.find((i) => i !== o.runbook!.labels.instance)!;
      expect(formatRunbookMarkdown(o.runbook!)).toContain(`instance=${other}`);
    }
  }, 60_000);
});
