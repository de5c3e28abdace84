import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../engine/config/secret.js';
import { diagnoseBundle } from '../../engine/diagnose/diagnose-bundle.js';
import { NotifyError } from '../../engine/notify/notify-error.js';
import type { Channel } from '../../engine/notify/types.js';
import { renderRunbook } from '../../engine/runbook/render-runbook.js';
import type { Runbook } from '../../engine/runbook/types.js';
import type { DeliveryKind } from '../../engine/store/types.js';
import { createEmailChannel } from '../../integrations/email/index.js';
import { createFileChannel } from '../../integrations/file/index.js';
import { createSlackChannel } from '../../integrations/slack/index.js';
import { createStdoutChannel } from '../../integrations/stdout/index.js';
import { startSmtp } from '../integrations/email/smtp-fake.js';
import { startSlackFake } from '../integrations/slack/slack-fake.js';
import { defaultRules } from '../server/pipeline-fixture.js';

/**
 * What every channel must do for the outbox (docs/architecture.md, "Retries live in the outbox"): payloads survive the JSON round
 * trip through SQLite and still send; every kind the channel declares renders; failures are
 * NotifyError with `retryable` set and no secret in the message.
 */
let runbook: Runbook;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let slack: Awaited<ReturnType<typeof startSlackFake>>;
const dir = mkdtempSync(join(tmpdir(), 'mt-contract-'));
beforeAll(async () => {
  const d = await diagnoseBundle('examples/incidents/pub-map-leak', await defaultRules());
  runbook = renderRunbook(d);
  smtp = await startSmtp();
  slack = await startSlackFake();
});
afterAll(async () => {
  await smtp.close();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

const SECRETS = { slack: 'xoxb-contract-secret', smtp: 'smtp-contract-secret' };
const channels = (): Channel[] => [
  createStdoutChannel({ name: 'stdout' }, { write: () => undefined }),
  createFileChannel({ name: 'file', path: join(dir, 'out.jsonl') }),
  createSlackChannel({
    name: 'slack',
    token: new Secret(SECRETS.slack),
    channel: 'C1',
    apiUrl: slack.url,
    timeoutMs: 2000,
  }),
  createEmailChannel({
    name: 'email',
    host: '127.0.0.1',
    port: smtp.port,
    secure: false,
    ignoreTLS: true,
    from: 'a@example.test',
    to: ['b@example.test'],
    timeoutMs: 2000,
  }),
];

describe('channel contract', () => {
  it.each(['stdout', 'file', 'slack', 'email'])(
    '%s: every declared kind renders, survives JSON, and sends in thread order',
    async (name) => {
      const ch = channels().find((c) => c.name === name)!;
      const kinds: DeliveryKind[] = ['open', ...(ch.openFollowUps ?? []), ...ch.resolveKinds];
      let thread: Record<string, string> | undefined;
      for (const [i, kind] of kinds.entries()) {
        const rendered = ch.render({
          kind,
          incidentId: 'inc-c',
          runbook,
          resolvedAt: '2026-11-26T02:00:00Z',
        });
        if (rendered === undefined) {
          expect(kind).not.toBe('open'); // only follow-ups may have nothing to send
          continue;
        }
        const payload = JSON.parse(JSON.stringify(rendered)) as unknown;
        const res = await ch.send(
          { id: i + 1, kind, incidentId: 'inc-c', payload, ...(thread ? { thread } : {}) },
          new AbortController().signal,
        );
        if (kind === 'open') thread = res.thread;
      }
      expect(thread).toBeDefined();
    },
  );

  it('email: the runbook charts arrive as inline PNGs after the JSON round trip', async () => {
    const mail = smtp.received.find((m) => m.messageId === '<incident-inc-c@memtriage>');
    expect(mail).toBeDefined();
    const pngs = mail!.attachments.filter((a) => a.contentType === 'image/png');
    expect(runbook.blocks.some((b) => b.kind === 'chart')).toBe(true);
    expect(pngs.length).toBeGreaterThan(0);
    expect(pngs[0]!.content.subarray(1, 4).toString()).toBe('PNG');
    // mailparser inlines an image whose cid matches an attachment as a data: URL
    expect(mail!.html).toContain('data:image/png;base64,');
  });

  it('failures are classified NotifyErrors without secrets', async () => {
    slack.script.push({ status: 200, body: { ok: false, error: 'invalid_auth' } });
    const down = createEmailChannel({
      name: 'email',
      host: '127.0.0.1',
      port: 1,
      secure: false,
      ignoreTLS: true,
      user: 'u',
      password: new Secret(SECRETS.smtp),
      from: 'a@example.test',
      to: ['b@example.test'],
      timeoutMs: 1000,
    });
    const failing = [channels().find((c) => c.name === 'slack')!, down];
    for (const ch of failing) {
      const err = await ch
        .send(
          {
            id: 1,
            kind: 'open',
            incidentId: 'x',
            payload: ch.render({ kind: 'open', incidentId: 'x', runbook }),
          },
          new AbortController().signal,
        )
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(NotifyError);
      expect(typeof (err as NotifyError).retryable).toBe('boolean');
      const text = `${(err as Error).message} ${JSON.stringify(err)}`;
      for (const s of Object.values(SECRETS)) expect(text).not.toContain(s);
    }
  });
});
