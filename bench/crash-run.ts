/**
 * Crash-and-outage run (issue 16): drives a real `memtriage serve` (the compiled CLI, `npm run
 * build` first) with Alertmanager-shaped notifications at a steady rate, SIGKILLs it at random
 * moments and restarts it at once (a supervisor), then stops it with SIGTERM and counts, from the
 * file channel, what was sent, acknowledged, delivered, duplicated and lost.
 *
 *   npx tsx bench/crash-run.ts [alerts=1000] [rate=50] [kills=3] [seed=1] [outageSeconds=0]
 *
 * Traffic: every alert fires once; 40 % also resolve (a quarter of those resolve *before* their
 * firing is sent, as Alertmanager retries can reorder them); 20 % are re-sent (repeats). A
 * notification that fails (connection refused or reset by a kill) is retried every 200 ms, as
 * Alertmanager does, until it is answered 2xx. With outageSeconds > 0 the file channel is broken
 * (its directory replaced by a file) for that long, a third of the way into the run, so deliveries
 * must outlive an outage. With MT_CRASH_EMAIL=1 runbooks also go by email to a real SMTP server on
 * loopback (smtp-server), counted by Message-ID / In-Reply-To, and the outage is an SMTP outage
 * (the server closed, then listening again on the same port) instead.
 *
 * Expected: every acknowledged firing has its runbook and every acknowledged resolve its resolve
 * note; duplicates at most outbox.concurrency (4) per kill; nothing dead; nothing left pending.
 *
 * Measured on the 2-core dev VM (issue 16), 1,000 alerts and 3 SIGKILLs each, default outbox settings:
 *   50/s, file:                       1,597 sent, 1,597 acked, 1,405/1,405 delivered, 4 duplicates, 0 lost
 *   150/s, file:                      1,602 sent, 1,602 acked, 1,416/1,416 delivered, 1 duplicate, 0 lost
 *   50/s, file, 300 s file outage:    1,608 sent, 1,608 acked, 1,424/1,424 delivered, 0 duplicates, 0 lost,
 *                                     0 dead, all delivered 57 s after the outage
 *   50/s, file + email, 300 s SMTP outage: 1,562 sent, 1,562 acked, 1,387/1,387 delivered on each channel,
 *                                     7 file / 0 email duplicates, 0 lost, 0 dead, all out 96 s after it
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { openSqliteStore } from '../engine/store/sqlite-store.js';
import { incidentMessageId } from '../integrations/email/index.js';

const N = Number(process.argv[2] ?? 1000);
const RATE = Number(process.argv[3] ?? 50);
const KILLS = Number(process.argv[4] ?? 3);
let seed = Number(process.argv[5] ?? 1);
const OUTAGE_S = Number(process.argv[6] ?? 0);
const EMAIL = process.env.MT_CRASH_EMAIL === '1';
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(join(tmpdir(), 'mt-crash-run-'));
const outDir = join(dir, 'out');
mkdirSync(outDir);
const out = join(outDir, 'runbooks.jsonl');
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
const port = await freePort();
const smtpPort = await freePort();
/** Email keys received: `<Message-ID>/open` or `<In-Reply-To>/resolve`. */
const mails: string[] = [];
const newSmtp = () =>
  new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, _session, cb) {
      let head = '';
      stream.on('data', (d: Buffer) => {
        if (head.length < 8192) head += d.toString();
      });
      stream.on('end', () => {
        const reply = /^In-Reply-To: *(<[^>]+>)/im.exec(head)?.[1];
        const id = /^Message-ID: *(<[^>]+>)/im.exec(head)?.[1];
        mails.push(reply ? `${reply}/resolve` : `${id}/open`);
        cb();
      });
    },
  });
let smtp: SMTPServer | undefined;
const smtpUp = async () => {
  smtp = newSmtp();
  await new Promise<void>((r) => smtp!.listen(smtpPort, '127.0.0.1', r));
};
const smtpDown = () => new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
if (EMAIL) await smtpUp();
const cfg = join(dir, 'memtriage.yaml');
writeFileSync(
  cfg,
  [
    'server: { dataDir: ./data }',
    'channels:',
    '  archive: { type: file, path: ./out/runbooks.jsonl }',
    `  mail: { type: email, host: 127.0.0.1, port: ${smtpPort}, ignoreTLS: true, from: mt@example.test, to: [sre@example.test], timeout: 5s }`,
    `defaultRoute: { channels: [${EMAIL ? 'archive, mail' : 'archive'}] }`,
  ].join('\n'),
);
const url = `http://127.0.0.1:${port}`;

let child: ChildProcess | undefined;
function start(): Promise<void> {
  const c = spawn(process.execPath, ['bin/memtriage.js', 'serve', '--config', cfg, '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child = c;
  let err = '';
  c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      if (err.includes('memtriage: serving on')) {
        clearInterval(t);
        resolve();
      }
      if (c.exitCode !== null) {
        clearInterval(t);
        reject(new Error(err.slice(-2000)));
      }
    }, 10);
  });
}
const exited = (c: ChildProcess) =>
  c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r));

function payload(i: number, status: 'firing' | 'resolved') {
  const labels = { alertname: `Mem${i}`, instance: `host-${i % 17}`, severity: 'warning' };
  return {
    receiver: 'memtriage',
    status,
    alerts: [
      {
        status,
        labels,
        annotations: { summary: `rss of Mem${i} grows` },
        startsAt: '2026-11-25T18:56:02Z',
        endsAt: status === 'resolved' ? '2026-11-25T19:20:00Z' : '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus/graph',
        fingerprint: `fp${String(i).padStart(14, '0')}`,
      },
    ],
    groupLabels: { alertname: `Mem${i}` },
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: `{}:{alertname="Mem${i}"}`,
    truncatedAlerts: 0,
  };
}

const stats = { sent: 0, acknowledged: 0, failedTries: 0 };
const ackedOpen = new Set<string>();
const ackedResolve = new Set<string>();
/** One notification, retried like Alertmanager until answered 2xx. */
async function notify(i: number, status: 'firing' | 'resolved'): Promise<void> {
  stats.sent++;
  const body = JSON.stringify(payload(i, status));
  for (;;) {
    try {
      const res = await fetch(`${url}/webhook/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      if (res.status >= 200 && res.status < 300) {
        const r = (await res.json()) as { incident: string };
        stats.acknowledged++;
        (status === 'firing' ? ackedOpen : ackedResolve).add(r.incident);
        return;
      }
      stats.failedTries++;
    } catch {
      stats.failedTries++;
    }
    await sleep(200);
  }
}

await start();
const t0 = Date.now();
const durationMs = (N / RATE) * 1000;
const killAt = Array.from({ length: KILLS }, () => rand() * durationMs).sort((a, b) => a - b);
const kills = (async () => {
  for (const at of killAt) {
    await sleep(Math.max(0, t0 + at - Date.now()));
    const c = child!;
    c.kill('SIGKILL');
    await exited(c);
    await start();
  }
})();
let outageEnd = 0;
const outage = (async () => {
  if (OUTAGE_S <= 0) return;
  await sleep(durationMs / 3);
  if (EMAIL) {
    // a real SMTP outage: connection refused for its whole length
    await smtpDown();
    console.log(`outage: SMTP server down for ${OUTAGE_S} s`);
    await sleep(OUTAGE_S * 1000);
    await smtpUp();
  } else {
    // break the file channel: its directory becomes a file, so every append fails
    renameSync(outDir, `${outDir}.away`);
    writeFileSync(outDir, 'not a directory');
    console.log(`outage: file channel broken for ${OUTAGE_S} s`);
    await sleep(OUTAGE_S * 1000);
    renameSync(outDir, `${outDir}.blocker`);
    renameSync(`${outDir}.away`, outDir);
  }
  outageEnd = Date.now();
  console.log('outage over');
})();

const tasks: Promise<void>[] = [];
for (let i = 0; i < N; i++) {
  await sleep(Math.max(0, t0 + (i * 1000) / RATE - Date.now()));
  const r = rand();
  const resolves = r < 0.4;
  const early = r < 0.1; // resolve before firing
  const repeat = rand() < 0.2;
  if (early) {
    tasks.push(notify(i, 'resolved').then(() => notify(i, 'firing')));
  } else {
    tasks.push(
      notify(i, 'firing').then(async () => {
        if (repeat) await notify(i, 'firing');
        if (resolves) {
          await sleep(rand() * 3000);
          await notify(i, 'resolved');
        }
      }),
    );
  }
}
await Promise.all(tasks);
await kills;
await outage;
const sendSeconds = (Date.now() - t0) / 1000;

type Line = { incidentId: string; kind: string };
const lines = (): Line[] =>
  existsSync(out)
    ? readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Line)
    : [];
const missing = () => {
  const have = new Set(lines().map((l) => `${l.incidentId}/${l.kind}`));
  const mailed = new Set(mails);
  const lost = (id: string, kind: string) =>
    !have.has(`${id}/${kind}`) || (EMAIL && !mailed.has(`${incidentMessageId(id)}/${kind}`));
  return [
    ...[...ackedOpen].filter((id) => lost(id, 'open')),
    ...[...ackedResolve].filter((id) => lost(id, 'resolve')),
  ];
};
const waitStart = Date.now();
while (missing().length > 0 && Date.now() - waitStart < 15 * 60_000) await sleep(500);
const settleSeconds = (Date.now() - waitStart) / 1000;
const afterOutageSeconds = outageEnd ? (Date.now() - outageEnd) / 1000 : undefined;

const tTerm = Date.now();
child!.kill('SIGTERM');
await exited(child!);
const termMs = Date.now() - tTerm;

const all = lines();
const keys = all.map((l) => `${l.incidentId}/${l.kind}`);
const store = openSqliteStore(join(dir, 'data'));
const counts = await store.countByState();
const behind = (await store.unfinishedIncidents()).length;
await store.close();
const report = {
  alerts: N,
  rate: RATE,
  kills: KILLS,
  outageSeconds: OUTAGE_S,
  notificationsSent: stats.sent,
  acknowledged: stats.acknowledged,
  retriedTries: stats.failedTries,
  expectedDeliveries: ackedOpen.size + ackedResolve.size,
  delivered: new Set(keys).size,
  duplicates: keys.length - new Set(keys).size,
  ...(EMAIL ? { emails: mails.length, emailDuplicates: mails.length - new Set(mails).size } : {}),
  lost: missing().length,
  outbox: counts,
  incidentsBehind: behind,
  sendSeconds,
  settleSeconds,
  ...(afterOutageSeconds !== undefined ? { allDeliveredSecondsAfterOutage: afterOutageSeconds } : {}),
  sigtermExitMs: termMs,
  dataDir: dir,
};
console.log(JSON.stringify(report, null, 2));
await smtpDown();
process.exitCode = report.lost === 0 && counts.dead === 0 && report.duplicates <= KILLS * 4 ? 0 : 1;
