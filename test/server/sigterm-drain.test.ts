/**
 * Issue 16, "Also": SIGTERM under load. The compiled `memtriage serve` gets a burst of alerts for a
 * slow SMTP server (a real one on loopback) and is stopped while deliveries are pending: it must
 * send them within `outbox.drain` before exiting, rather than leave them for the next start.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import { AM_SAMPLE } from './server-fixture.js';
import { until } from '../helpers/until.js';

const dir = mkdtempSync(join(tmpdir(), 'mt-sigterm-'));
let child: ChildProcess | undefined;
let smtp: SMTPServer | undefined;
afterAll(async () => {
  child?.kill('SIGKILL');
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  rmSync(dir, { recursive: true, force: true });
});

function alert(i: number) {
  const p = structuredClone(AM_SAMPLE) as typeof AM_SAMPLE;
  p.groupKey = `{}:{alertname="Drain${i}"}`;
  p.alerts[0]!.fingerprint = `d${String(i).padStart(15, '0')}`;
  (p.alerts[0]!.labels as Record<string, string>).alertname = `Drain${i}`;
  return p;
}

describe('SIGTERM drains the outbox (issue 16)', () => {
  it('pending deliveries are sent before exit, within outbox.drain', async () => {
    const received: string[] = [];
    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onData(stream, _session, cb) {
        let text = '';
        stream.on('data', (d: Buffer) => (text += d.toString()));
        // a slow relay: 150 ms per message, so a burst is still pending when SIGTERM comes
        stream.on('end', () =>
          setTimeout(() => {
            received.push(/^Subject: (.*)$/m.exec(text)?.[1] ?? '');
            cb();
          }, 150),
        );
      },
    });
    await new Promise<void>((r) => smtp!.listen(0, '127.0.0.1', r));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    const cfg = join(dir, 'memtriage.yaml');
    writeFileSync(
      cfg,
      [
        'server: { dataDir: ./data }',
        'channels:',
        `  mail: { type: email, host: 127.0.0.1, port: ${smtpPort}, ignoreTLS: true, from: mt@example.test, to: [sre@example.test] }`,
        'defaultRoute: { channels: [mail] }',
        'outbox: { poll: 50ms, drain: 30s }',
      ].join('\n'),
    );
    const c = spawn(process.execPath, ['bin/memtriage.js', 'serve', '--config', cfg, '--port', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = c;
    let err = '';
    c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await until('the server to listen', () => /serving on (\S+)/.test(err), 30_000);
    const url = /serving on (\S+)/.exec(err)![1]!;

    const total = 24;
    const acks = await Promise.all(
      Array.from({ length: total }, (_, i) =>
        fetch(`${url}/webhook/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(alert(i)),
        }).then((r) => r.status),
      ),
    );
    expect(acks.every((s) => s === 202)).toBe(true);
    await until('the first email', () => received.length >= 1, 60_000);
    const atTerm = received.length;
    const exitedAt = new Promise<number | null>((r) => c.once('exit', (code) => r(code)));
    const t0 = Date.now();
    c.kill('SIGTERM');
    const code = await exitedAt;
    const tookMs = Date.now() - t0;

    expect(code).toBe(0);
    expect(atTerm).toBeLessThan(total); // the drain had work to do
    expect(received).toHaveLength(total);
    expect(tookMs).toBeLessThan(30_000);
    const store = openSqliteStore(join(dir, 'data'));
    expect(await store.countByState()).toMatchObject({ pending: 0, sending: 0, dead: 0, delivered: total });
    await store.close();
  }, 120_000);
});
