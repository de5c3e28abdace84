import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../engine/server/start-server.js';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import { ALERTMANAGER, startAlertmanager, type RunningAlertmanager } from '../helpers/alertmanager.js';
import { until } from '../helpers/until.js';
import { startSmtp } from '../integrations/email/smtp-fake.js';
import { startSlackFake } from '../integrations/slack/slack-fake.js';

/**
 * The whole product against real parts: a Go service (leakyd, built here with Debian's Go) that
 * leaks a map, Debian's Alertmanager posting to `memtriage serve` with bearer auth, a real SMTP
 * server on loopback, and a local Slack Web API server behind the real @slack/web-api client.
 */
const GO = '/usr/lib/go-1.19/bin/go';
const TOKEN = 'e2e-bearer-token-5f1c';
const dir = mkdtempSync(join(tmpdir(), 'mt-e2e-'));
const children: ChildProcess[] = [];
let server: RunningServer | undefined;
let am: RunningAlertmanager | undefined;
let slack: Awaited<ReturnType<typeof startSlackFake>>;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

function start(cmd: string, args: string[]): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.resume();
  children.push(child);
  return child;
}

afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  await am?.stop();
  await server?.close();
  await slack?.close();
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Skipped only off CI when Debian's Go or Alertmanager is missing; under CI it must run (.ci/run installs them).
describe.skipIf((!existsSync(GO) || !existsSync(ALERTMANAGER)) && !process.env['CI'])(
  'end to end: Alertmanager → memtriage → Slack and email',
  () => {
    let leakyd = '';

    beforeAll(async () => {
      // Build and start the leaking Go service (stdlib only, no module downloads).
      const bin = join(dir, 'leakyd');
      execFileSync(GO, ['build', '-o', bin, '.'], {
        cwd: resolve('test/e2e/leakyd'),
        env: {
          ...process.env,
          GOPROXY: 'off',
          GOFLAGS: '-mod=mod',
          GOCACHE: join(dir, 'gocache'),
          GOPATH: join(dir, 'gopath'),
        },
        stdio: 'pipe',
      });
      const portFile = join(dir, 'leakyd.port');
      start(bin, ['-addr', '127.0.0.1:0', '-port-file', portFile]);
      leakyd = `http://127.0.0.1:${await until('leakyd', () => existsSync(portFile) && readFileSync(portFile, 'utf8'), 15_000)}`;
      const leak = await fetch(`${leakyd}/leak?rate=100000`, { method: 'POST' });
      expect(leak.status).toBe(200);

      slack = await startSlackFake();
      smtp = await startSmtp();
      // 24 s of samples: the growth rules read a trend only over 20 s or more (a shorter window
      // cannot tell a leak from one GC cycle's saw-tooth, and answers "inconclusive").
      writeFileSync(
        join(dir, 'memtriage.yaml'),
        `server: { dataDir: ./data }
auth: { bearerTokens: ['\${E2E_TOKEN}'] }
targets:
  - name: leakyd
    match: { service: leakyd }
    go: ${leakyd}
    duration: 24s
    interval: 1s
    timeout: 3s
channels:
  oncall: { type: slack, token: '\${E2E_SLACK_TOKEN}', channel: C0E2E, apiUrl: '${slack.url}' }
  sre-mail: { type: email, host: 127.0.0.1, port: ${smtp.port}, ignoreTLS: true, from: memtriage@example.test, to: [sre@example.test] }
defaultRoute: { channels: [oncall, sre-mail] }
outbox: { baseDelay: 200ms, maxDelay: 2s }
`,
      );
      server = await startServer({
        config: join(dir, 'memtriage.yaml'),
        port: 0,
        env: { E2E_TOKEN: TOKEN, E2E_SLACK_TOKEN: 'xoxb-e2e' },
        logger: false,
      });

      am = await startAlertmanager(dir, {
        webhook: `${server.url}/webhook/alertmanager`,
        token: TOKEN,
        groupBy: ['alertname', 'service'],
      });
    }, 90_000);

    it('diagnoses go-map-leak from live evidence and delivers, then resolves the thread', async () => {
      if (!am) throw new Error('alertmanager did not start');
      const alert = {
        labels: {
          alertname: 'ContainerMemoryHigh',
          service: 'leakyd',
          severity: 'critical',
          instance: leakyd.slice(7),
        },
        annotations: { summary: 'leakyd memory keeps rising' },
        startsAt: new Date(Date.now() - 60_000).toISOString(),
      };
      expect((await am.post(alert)).status).toBe(200);

      // The runbook arrives in Slack (Block Kit) and by email.
      const first = await until(
        'the Slack message',
        () => slack.requests.find((r) => r.method === 'chat.postMessage'),
        60_000,
      );
      // A short post in the channel; the runbook with its evidence as a reply in its thread.
      expect(first.params['thread_ts']).toBeUndefined();
      expect(JSON.stringify(first.blocks)).toMatch(/map grows without bound/);
      const runbookReply = await until(
        'the runbook in the thread',
        () =>
          slack.requests.find(
            (r) => r.method === 'chat.postMessage' && /^Runbook: /.test(String(r.params['text'])),
          ),
        30_000,
      );
      expect(JSON.stringify(runbookReply.blocks)).toMatch(/pprof\.inuseShare\.map/);
      const mail = await until('the email', () => smtp.received[0], 30_000);
      expect(mail.subject).toMatch(/leakyd/);
      expect(mail.html || '').toMatch(/map/);
      expect(mail.text).toMatch(/pprof\.inuseShare\.map/);

      // The incident was diagnosed from live acquisition, with evidence.
      const store = openSqliteStore(join(dir, 'data'));
      try {
        const [incident] = await store.listIncidents(10);
        const top = incident?.diagnosis?.causes[0];
        expect(top?.ruleId).toBe('go-map-leak');
        expect(top?.evidence.find((e) => e.fact === 'pprof.inuseShare.map')?.passed).toBe(true);
        expect(incident?.diagnosis?.facts['memstats.samples']?.value as number).toBeGreaterThan(5);
        // Heap profiles at the start and end of the acquisition window (the growth between them names the site).
        expect(incident?.diagnosis?.facts['pprof.profiles']?.value as number).toBeGreaterThanOrEqual(2);
      } finally {
        await store.close();
      }

      // Resolve through Alertmanager: a thread reply and an update of the first message, and a mail in the same thread.
      expect((await am.post({ ...alert, endsAt: new Date().toISOString() })).status).toBe(200);
      const reply = await until(
        'the Slack thread reply',
        () =>
          slack.requests.find(
            (r) =>
              r.method === 'chat.postMessage' &&
              r.params['thread_ts'] !== undefined &&
              /resolved/i.test(JSON.stringify(r)),
          ),
        30_000,
      );
      const firstTs = reply.params['thread_ts'];
      expect(runbookReply.params['thread_ts']).toBe(firstTs);
      const update = await until(
        'chat.update of the first message',
        () => slack.requests.find((r) => r.method === 'chat.update'),
        30_000,
      );
      expect(update.params['ts']).toBe(firstTs);
      expect(JSON.stringify(update)).toMatch(/resolved/i);
      const followUp = await until('the resolve email', () => smtp.received[1], 30_000);
      expect(followUp.inReplyTo).toBe(mail.messageId);
      // One incident, one first message: Alertmanager's repeats did not post again.
      expect(
        slack.requests.filter((r) => r.method === 'chat.postMessage' && r.params['thread_ts'] === undefined),
      ).toHaveLength(1);
    }, 120_000);
  },
);
