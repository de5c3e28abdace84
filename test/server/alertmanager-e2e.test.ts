import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../engine/server/start-server.js';
import type { RunningServer } from '../../engine/server/start-server.js';
import { ALERTMANAGER, startAlertmanager, type RunningAlertmanager } from '../helpers/alertmanager.js';
import { until } from '../helpers/until.js';

const dir = mkdtempSync(join(tmpdir(), 'mt-am-'));
let am: RunningAlertmanager | undefined;
let server: RunningServer | undefined;
afterAll(async () => {
  await am?.stop();
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

describe.skipIf(!existsSync(ALERTMANAGER))(
  'real Alertmanager (Debian prometheus-alertmanager) → memtriage',
  () => {
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
      am = await startAlertmanager(dir, {
        webhook: `${server.url}/webhook/alertmanager`,
        token: 'am-token-0123',
        groupBy: ['alertname'],
      });
      const alert = {
        labels: { alertname: 'ContainerMemoryHigh', service: 'orders', severity: 'critical' },
        annotations: { summary: 'orders RSS at 92% of its limit' },
        startsAt: new Date(Date.now() - 60_000).toISOString(),
      };
      expect((await am.post(alert)).status).toBe(200);
      const file = join(dir, 'runbooks.jsonl');
      await until('the open delivery', () => lines(file).some((l) => l.kind === 'open'), 20_000);
      expect((await am.post({ ...alert, endsAt: new Date().toISOString() })).status).toBe(200);
      await until('the resolve delivery', () => lines(file).some((l) => l.kind === 'resolve'), 20_000);
      const got = lines(file);
      expect(got.map((l) => l.kind)).toEqual(['open', 'resolve']);
      expect(new Set(got.map((l) => l.incidentId)).size).toBe(1);
    }, 60_000);
  },
);
