import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Secret } from '../../../engine/config/secret.js';
import { fallbackRunbook } from '../../../engine/notify/fallback-runbook.js';
import { NotifyError } from '../../../engine/notify/notify-error.js';
import { createEmailChannel } from '../../../integrations/email/index.js';
import type { EmailChannelConfig } from '../../../integrations/email/index.js';
import { freePort } from '../../helpers/free-port.js';
import { copyBundle, makePipeline } from '../../server/pipeline-fixture.js';
import { sampleDiagnosis } from '../sample-diagnosis.js';
import { startSmtp } from './smtp-fake.js';

let smtp: Awaited<ReturnType<typeof startSmtp>> | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

const cfg = (port: number, extra: Partial<EmailChannelConfig> = {}): EmailChannelConfig => ({
  name: 'mail',
  host: '127.0.0.1',
  port,
  secure: false,
  ignoreTLS: true,
  from: 'memtriage@example.test',
  to: ['oncall@example.test'],
  timeoutMs: 2000,
  ...extra,
});
const runbook = fallbackRunbook(sampleDiagnosis, 'test');
const sig = () => new AbortController().signal;

describe('email channel over real SMTP', () => {
  it('sends multipart HTML + text, and the resolve as a reply in the same thread', async () => {
    smtp = await startSmtp();
    const mail = createEmailChannel(cfg(smtp.port));
    const open = await mail.send(
      {
        id: 1,
        kind: 'open',
        incidentId: 'inc-1',
        payload: mail.render({ kind: 'open', incidentId: 'inc-1', runbook }),
      },
      sig(),
    );
    expect(open.thread).toEqual({ messageId: '<incident-inc-1@memtriage>' });
    const resolve = mail.render({
      kind: 'resolve',
      incidentId: 'inc-1',
      runbook,
      resolvedAt: '2026-11-26T02:00:00Z',
    });
    await mail.send(
      { id: 2, kind: 'resolve', incidentId: 'inc-1', payload: resolve, thread: open.thread! },
      sig(),
    );
    const [first, second] = smtp.received;
    expect(first!.subject).toBe('[CRITICAL] orders: Go map grows without bound');
    expect(first!.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(first!.html).toContain('Go map grows without bound');
    expect(first!.text).toContain('Go map grows without bound');
    expect(first!.messageId).toBe('<incident-inc-1@memtriage>');
    expect(second!.subject).toBe('Re: [CRITICAL] orders: Go map grows without bound');
    expect(second!.inReplyTo).toBe('<incident-inc-1@memtriage>');
    expect(second!.references).toBe('<incident-inc-1@memtriage>');
    expect(second!.text).toContain('resolved 2026-11-26 02:00:00 UTC');
    await mail.close?.();
  });

  it('the resolve keeps the first subject with Re: and says how long the incident lasted, whatever the title holds', async () => {
    smtp = await startSmtp();
    const mail = createEmailChannel(cfg(smtp.port));
    const hostile = {
      ...runbook,
      title: 'orders\r\nBcc: victim@example.test\r\n\r\n<b>x</b> «naïve» ' + 'y'.repeat(300),
      startsAt: '2026-11-26T01:17:30Z',
      incidentUrl: 'https://ops.example/incidents/inc-2',
    };
    const open = await mail.send(
      {
        id: 1,
        kind: 'open',
        incidentId: 'inc-2',
        payload: mail.render({ kind: 'open', incidentId: 'inc-2', runbook: hostile }),
      },
      sig(),
    );
    const resolve = mail.render({
      kind: 'resolve',
      incidentId: 'inc-2',
      runbook: hostile,
      resolvedAt: '2026-11-26T03:02:30Z',
      receivedAt: '2026-11-26T01:18:00Z',
      repeats: 1,
    });
    await mail.send(
      { id: 2, kind: 'resolve', incidentId: 'inc-2', payload: resolve, thread: open.thread! },
      sig(),
    );
    const [first, second] = smtp.received;
    expect(first!.subject).toMatch(/^\[CRITICAL\] orders Bcc: victim@example\.test <b>x<\/b> «naïve» y+…$/);
    expect(second!.subject).toBe(`Re: ${first!.subject}`);
    for (const m of [first!, second!]) {
      expect(m.headers.has('bcc')).toBe(false);
      expect(m.to).toMatchObject({ text: 'oncall@example.test' });
    }
    // 01:17:30 (the alert's startsAt) to 03:02:30: an hour and three quarters.
    expect(second!.text).toContain('Resolved after 1h 45m: orders');
    expect(second!.text).toContain(
      'fired 2026-11-26 01:17:30 UTC, resolved 2026-11-26 03:02:30 UTC, 1 repeat notification',
    );
    expect(second!.text).toContain('Incident page: https://ops.example/incidents/inc-2');
    expect(second!.html).toContain('Resolved after 1h 45m');
    expect(second!.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(second!.html).not.toContain('<b>x</b>');
    // Without the alert's startsAt, the incident lasted from when memtriage received it.
    const noStart = mail.render({
      kind: 'resolve',
      incidentId: 'inc-2',
      runbook: { ...runbook, startsAt: '0001-01-01T00:00:00Z' },
      resolvedAt: '2026-11-26T01:20:00Z',
      receivedAt: '2026-11-26T01:18:00Z',
    }) as { text: string };
    expect(noStart.text).toContain('Resolved after 2m 0s: orders');
    await mail.close?.();
  });

  it('classifies: 451 transient → serverError, 550 → clientError, bad login → authError, no server → serverError', async () => {
    smtp = await startSmtp({ auth: { user: 'u', pass: 'right' } });
    const payload = { subject: 's', html: '<p>x</p>', text: 'x' };
    const send = (c: EmailChannelConfig) =>
      createEmailChannel(c)
        .send({ id: 1, kind: 'open', incidentId: 'i', payload }, sig())
        .then(
          () => undefined,
          (e: unknown) => e as NotifyError,
        );
    const auth = await send(cfg(smtp.port, { user: 'u', password: new Secret('wrong') }));
    expect(auth).toMatchObject({ reason: 'authError', retryable: false });
    expect(auth!.message).not.toContain('wrong');
    // the configured server is named, so an operator knows which one refused
    expect(auth!.message).toMatch(new RegExp(`^smtp 127\\.0\\.0\\.1:${smtp.port} `));
    smtp.reject.push({ code: 451, message: 'try later' }, { code: 550, message: 'no such user' });
    const good = cfg(smtp.port, { user: 'u', password: new Secret('right') });
    expect(await send(good)).toMatchObject({ reason: 'serverError', retryable: true });
    expect(await send(good)).toMatchObject({ reason: 'clientError', retryable: false });
    expect(await send(good)).toBeUndefined();
    const down = await send(cfg(await freePort()));
    expect(down).toBeInstanceOf(NotifyError);
    expect(down).toMatchObject({ reason: 'serverError', retryable: true });
    expect(down!.message).toMatch(/^smtp 127\.0\.0\.1:\d+ CONN: ESOCKET/);
  });

  it('a server that accepts the connection but never greets is a timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const err = await createEmailChannel(cfg(port, { timeoutMs: 300 }))
      .send({ id: 1, kind: 'open', incidentId: 'i', payload: { subject: 's', html: 'h', text: 't' } }, sig())
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    silent.close();
    expect(err).toMatchObject({ reason: 'timeout', retryable: true });
  });

  it('SMTP outage: queued mail waits in the outbox and goes out once when the server is back', async () => {
    const port = await freePort();
    let clock = Date.now();
    const mail = createEmailChannel(cfg(port));
    const p = await makePipeline({
      channels: [mail],
      acquire: copyBundle('pub-goroutine-leak'),
      now: () => clock,
    });
    const { incident } = await p.store.recordAlert({
      dedupKey: 'k',
      source: 'generic',
      groupKey: 'g',
      status: 'firing',
      payload: { alert: { name: 'RssHigh', labels: {} } },
      now: clock,
    });
    await p.pipeline.advance(incident.id);
    await p.worker.runOnce();
    await p.worker.runOnce();
    expect((await p.store.deliveriesFor(incident.id))[0]).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastReason: 'serverError',
    });
    smtp = await startSmtp({ port });
    clock += 60_000;
    await p.worker.drain();
    clock += 60_000;
    await p.worker.drain();
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.subject).toMatch(/goroutine/i);
    expect((await p.store.deliveriesFor(incident.id))[0]).toMatchObject({ state: 'delivered', attempts: 2 });
    await p.close();
  });
});
