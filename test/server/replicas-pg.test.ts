/**
 * Several replicas on one PostgreSQL (issue 13): three real `memtriage serve` processes
 * (`node bin/memtriage.js serve`, what a Deployment runs), each with its own data dir (replicas
 * share no disk), on a throwaway PostgreSQL 15 cluster, delivering to a local Slack Web API (through
 * @slack/web-api) and a real SMTP server on loopback. Each replica reaches the Slack fake under its
 * own path (`/r1/api/…`), so the fake knows which replica sent a request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startPgCluster, skipPgSuites, type PgCluster } from '../helpers/pg-cluster.js';
import { terminate } from '../helpers/serve-process.js';
import { until } from '../helpers/until.js';
import { startSmtp } from '../integrations/email/smtp-fake.js';
import { startSlackFake } from '../integrations/slack/slack-fake.js';
import { AM_SAMPLE } from './server-fixture.js';

const ROOT = join(import.meta.dirname, '..', '..');
const skip = skipPgSuites();

interface Replica {
  name: string;
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

let cluster: PgCluster;
let dbUrl: string;
let slack: Awaited<ReturnType<typeof startSlackFake>>;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const dir = mkdtempSync(join(tmpdir(), 'mt-replicas-'));
const children: ChildProcess[] = [];
let dbSeq = 0;
/** Accepts connections and never answers: an acquisition against it lasts its whole timeout. */
const stall = createServer((sock) => void stalled.push(sock));
const stalled: Socket[] = [];

beforeAll(async () => {
  if (skip) return;
  cluster = await startPgCluster();
  slack = await startSlackFake();
  smtp = await startSmtp();
  await new Promise<void>((r) => stall.listen(0, '127.0.0.1', r));
}, 120_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await slack?.close();
  await smtp?.close();
  for (const sock of stalled) sock.destroy();
  await new Promise((r) => stall.close(r));
  await cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** A fresh database and three replicas on it. */
interface ReplicaOptions {
  /** outbox.lease */
  lease?: string;
  /** pipeline.takeOverAfter */
  takeOver?: string;
}

async function replicas(n = 3, opts: ReplicaOptions = {}): Promise<Replica[]> {
  dbUrl = await cluster.createDatabase(`replicas_${++dbSeq}`);
  const out: Replica[] = [];
  for (let i = 1; i <= n; i++) out.push(await startReplica(`r${i}`, opts));
  return out;
}

async function startReplica(name: string, opts: ReplicaOptions = {}): Promise<Replica> {
  const home = join(dir, `${dbSeq}-${name}`);
  mkdirSync(home, { recursive: true });
  const config = join(home, 'memtriage.yaml');
  writeFileSync(
    config,
    [
      `server: { dataDir: ${JSON.stringify(join(home, 'data'))}, externalUrl: "https://memtriage.example/" }`,
      `store: { url: "\${MEMTRIAGE_STORE_URL}" }`,
      'channels:',
      `  slack: { type: slack, token: xoxb-test, channel: C123, apiUrl: "${slack.urlVia(name)}" }`,
      `  mail: { type: email, host: 127.0.0.1, port: ${smtp.port}, from: memtriage@example.com, to: [oncall@example.com], ignoreTLS: true }`,
      'defaultRoute: { channels: [slack, mail] }',
      'targets:',
      `  - { name: stalled, matchRe: { alertname: "Stalled.*" }, go: "http://127.0.0.1:${(stall.address() as AddressInfo).port}", duration: 0s, timeout: 3s }`,
      `outbox: { poll: 100ms, baseDelay: 100ms, maxDelay: 500ms, lease: ${opts.lease ?? '60s'} }`,
      `pipeline: { takeOverAfter: ${opts.takeOver ?? '2m'} }`,
    ].join('\n'),
  );
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin/memtriage.js'), 'serve', '--config', config, '--port', '0'],
    {
      cwd: home,
      env: { ...process.env, MEMTRIAGE_STORE_URL: dbUrl },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  children.push(child);
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`${name} exited ${code ?? signal}: ${err.slice(-800)}`)),
    );
  });
  return { name, child, url, stderr: () => err };
}

function notification(name: string, status: 'firing' | 'resolved' = 'firing'): Record<string, unknown> {
  const p = structuredClone(AM_SAMPLE) as typeof AM_SAMPLE;
  p.groupKey = `{}:{alertname="${name}"}`;
  p.status = status;
  const a = p.alerts[0]!;
  a.status = status;
  a.fingerprint = `fp-${name}`;
  a.labels = { ...(a.labels as Record<string, string>), alertname: name };
  if (status === 'resolved') a.endsAt = new Date().toISOString();
  p.commonLabels = a.labels;
  p.groupLabels = { alertname: name };
  return p;
}

const post = (r: Replica, body: unknown) =>
  fetch(`${r.url}/webhook/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function sql<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** Where the shared fakes stood when a test began: each test counts only what came after. */
const mark = () => ({ slack: slack.requests.length, smtp: smtp.received.length });
type Mark = ReturnType<typeof mark>;
const slackSince = (m: Mark) => slack.requests.slice(m.slack);
const topLevel = (m: Mark) =>
  slackSince(m).filter((r) => r.method === 'chat.postMessage' && r.params.thread_ts === undefined);
const mails = (m: Mark) => smtp.received.slice(m.smtp);

/**
 * SIGTERM every replica (a rolling update) and wait for them to exit. One still running after 20 s
 * fails the test (and is killed): a replica that ignores SIGTERM costs a Kubernetes grace period.
 */
async function stopAll(rs: readonly Replica[]): Promise<void> {
  const stuck: string[] = [];
  await Promise.all(
    rs.map(async (r) => {
      if (await terminate(r.child, 20_000)) {
        stuck.push(`${r.name}:\n${r.stderr().split('\n').slice(-12).join('\n')}`);
      }
    }),
  );
  expect(stuck, 'replicas that did not exit on SIGTERM').toEqual([]);
}

describe.skipIf(skip)('several replicas on one PostgreSQL', () => {
  it('the same notification posted to all three → one incident, one delivery per channel', async () => {
    const m = mark();
    const rs = await replicas();
    try {
      const name = 'SameToAll';
      const answers = await Promise.all(rs.map((r) => post(r, notification(name))));
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
      await until(
        'the Slack post and the email',
        () => topLevel(m).length >= 1 && mails(m).length >= 1,
        30_000,
      );
      // Give any duplicate time to show up before counting.
      await new Promise((r) => setTimeout(r, 1500));
      expect(topLevel(m)).toHaveLength(1);
      expect(mails(m)).toHaveLength(1);
      const incidents = await sql('SELECT id FROM incidents');
      expect(incidents).toHaveLength(1);
      const rows = await sql<{ channel: string; kind: string; state: string }>(
        "SELECT channel, kind, state FROM outbox WHERE kind = 'open' ORDER BY channel",
      );
      expect(rows).toEqual([
        { channel: 'mail', kind: 'open', state: 'delivered' },
        { channel: 'slack', kind: 'open', state: 'delivered' },
      ]);
    } finally {
      await stopAll(rs);
    }
  }, 90_000);

  it('a replica killed with SIGKILL in the middle of a delivery: another completes it after the lease expires', async () => {
    const m = mark();
    const rs = await replicas(3, { lease: '3s' });
    try {
      const name = 'KilledMidDelivery';
      // The first Slack post hangs: whichever replica sent it is in the middle of that delivery.
      slack.script.push('hang');
      expect((await post(rs[0]!, notification(name))).status).toBe(202);
      const hung = await until(
        'a replica to start the Slack delivery',
        () => slackSince(m).find((r) => r.method === 'chat.postMessage'),
        30_000,
      );
      const victim = rs.find((r) => r.name === hung.via)!;
      expect(victim).toBeDefined();
      victim.child.kill('SIGKILL');
      await new Promise((r) => victim.child.once('exit', r));
      const killedAt = Date.now();
      const row = await sql<{ state: string; lease_until: string }>(
        "SELECT state, lease_until FROM outbox WHERE channel = 'slack' AND kind = 'open'",
      );
      expect(row[0]?.state).toBe('sending');
      // Another replica claims it once the lease has expired, and delivers it.
      const done = await until(
        'another replica to deliver the Slack post',
        () =>
          slackSince(m).find(
            (r) =>
              r.method === 'chat.postMessage' && r.via !== victim.name && r.params.thread_ts === undefined,
          ),
        30_000,
      );
      expect(done.via).not.toBe(victim.name);
      expect(Date.now() - killedAt).toBeGreaterThan(1000); // not before the lease ran out (3 s from its claim)
      await until(
        'the delivery marked delivered',
        async () =>
          (
            await sql<{ state: string }>("SELECT state FROM outbox WHERE channel = 'slack' AND kind = 'open'")
          )[0]?.state === 'delivered',
        15_000,
      );
      const attempts = await sql<{ attempts: number }>(
        "SELECT attempts FROM outbox WHERE channel = 'slack' AND kind = 'open'",
      );
      expect(Number(attempts[0]!.attempts)).toBe(2); // the killed attempt and the one that succeeded
      // At least once: the victim may have sent the email just before dying, and then it goes again.
      await until('the email delivered', () => mails(m).length >= 1, 15_000);
    } finally {
      await stopAll(rs);
    }
  }, 90_000);

  it('a replica killed in the middle of the pipeline: another takes the incident over once untouched for pipeline.takeOverAfter', async () => {
    const m = mark();
    const rs = await replicas(2, { takeOver: '5s' }); // above the stalled target's 3 s timeout (the config requires it)
    try {
      const before = stalled.length;
      expect((await post(rs[0]!, notification('StalledThenKilled'))).status).toBe(202);
      // r1 is acquiring (its target accepted the connection and never answers): kill it there.
      await until('r1 to start acquiring', () => stalled.length > before, 15_000);
      const killedAt = Date.now();
      rs[0]!.child.kill('SIGKILL');
      await new Promise((r) => rs[0]!.child.once('exit', r));
      const stage = await sql<{ stage: string }>('SELECT stage FROM incidents');
      expect(stage).toEqual([{ stage: 'received' }]);
      const post1 = await until('r2 to deliver the incident', () => topLevel(m)[0], 30_000);
      expect(post1.via).toBe('r2');
      expect(Date.now() - killedAt).toBeGreaterThan(3000); // not before the incident was 5 s untouched
      await until('the email', () => mails(m).length >= 1, 15_000);
      await new Promise((r) => setTimeout(r, 1000));
      expect(topLevel(m)).toHaveLength(1);
      expect(mails(m)).toHaveLength(1);
      expect(rs[1]!.stderr()).toContain('took over incidents another replica left half-way');
    } finally {
      await stopAll(rs);
    }
  }, 90_000);

  it('the resolve at a different replica than the firing threads onto the same Slack message and email thread', async () => {
    const m = mark();
    const rs = await replicas();
    try {
      const name = 'ResolvedElsewhere';
      expect((await post(rs[0]!, notification(name))).status).toBe(202);
      await until('the firing delivered', () => topLevel(m).length === 1 && mails(m).length === 1, 30_000);
      const first = topLevel(m)[0]!;
      const ts = first.ts!;
      expect(ts).toBeDefined();
      expect((await post(rs[1]!, notification(name, 'resolved'))).status).toBe(202);
      await until(
        'the resolve delivered',
        () =>
          slackSince(m).some((r) => r.method === 'chat.update' && r.params.ts === ts) &&
          mails(m).length === 2,
        30_000,
      );
      const reply = slackSince(m).filter((r) => r.method === 'chat.postMessage' && r.params.thread_ts === ts);
      expect(reply.length).toBeGreaterThanOrEqual(1);
      expect(reply.some((r) => /resolved/i.test(r.params.text ?? ''))).toBe(true);
      // r2 recorded the resolve; whichever replica's worker claims the follow-ups sends them (any may),
      // onto the ts the firing's post got (the until above waited for that chat.update).
      expect(await sql('SELECT status FROM incidents')).toEqual([{ status: 'resolved' }]);
      const [open, resolve] = mails(m);
      expect(resolve!.subject).toBe(`Re: ${open!.subject}`);
      expect(resolve!.inReplyTo).toBe(open!.messageId);
    } finally {
      await stopAll(rs);
    }
  }, 90_000);

  it("any replica's web pages, bundle and /metrics show the shared state", async () => {
    const m = mark();
    const rs = await replicas();
    try {
      const name = 'SeenEverywhere';
      expect((await post(rs[0]!, notification(name))).status).toBe(202);
      await until('the firing delivered', () => topLevel(m).length === 1 && mails(m).length === 1, 30_000);
      const [{ id }] = (await sql<{ id: string }>('SELECT id FROM incidents')) as [{ id: string }];
      for (const r of rs) {
        const list = await (await fetch(`${r.url}/`)).text();
        expect(list).toContain(name);
        const page = await fetch(`${r.url}/incidents/${id}`);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain(name);
        // The bundle was acquired by one replica and is served by every one of them.
        const bundle = await fetch(`${r.url}/incidents/${id}/bundle.tar.gz`);
        expect(bundle.status).toBe(200);
        expect(Buffer.from(await bundle.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
        const metrics = await (await fetch(`${r.url}/metrics`)).text();
        expect(metrics).toMatch(/memtriage_outbox_depth\{state="delivered"\} [2-9]/);
        expect(metrics).toContain('memtriage_storage_ready 1');
      }
    } finally {
      await stopAll(rs);
    }
  }, 90_000);

  it('the database stops → 503 with Retry-After and /readyz fails; nothing accepted is lost; work resumes when it returns', async () => {
    const m = mark();
    const rs = await replicas(2);
    try {
      // Accepted, and its pipeline still acquiring (the target never answers) when the database stops.
      expect((await post(rs[0]!, notification('StalledBeforeOutage'))).status).toBe(202);
      await cluster.stop();
      try {
        // The pipeline finishes acquiring during the outage, and its next write fails on the database.
        await until(
          'the pipeline to meet the outage',
          () => rs[0]!.stderr().includes('the incident resumes when writes succeed'),
          20_000,
        );
        const refused = await post(rs[1]!, notification('DuringOutage'));
        expect(refused.status).toBe(503);
        expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(await refused.json()).toMatchObject({ error: { code: expect.stringMatching(/^MT_ERR_/) } });
        for (const r of rs) expect((await fetch(`${r.url}/readyz`)).status).toBe(503);
      } finally {
        await cluster.start();
      }
      // Alertmanager retries the refused notification; both incidents are delivered, no restart.
      await until(
        'replicas ready again',
        async () =>
          (
            await Promise.all(
              rs.map(
                async (r) => (await fetch(`${r.url}/readyz`, { signal: AbortSignal.timeout(3000) })).status,
              ),
            )
          ).every((s) => s === 200),
        30_000,
        250,
      );
      expect((await post(rs[1]!, notification('DuringOutage'))).status).toBe(202);
      await until('both incidents delivered', () => topLevel(m).length >= 2 && mails(m).length >= 2, 30_000);
      await new Promise((r) => setTimeout(r, 1000)); // time for a duplicate to show
      // Each went out once: the replica that set its incident aside resumed it, the other did not take it over.
      expect(topLevel(m)).toHaveLength(2);
      expect(mails(m)).toHaveLength(2);
      for (const r of rs) expect(r.child.exitCode).toBeNull();
    } finally {
      await stopAll(rs);
    }
  }, 120_000);
});
