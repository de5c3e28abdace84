import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Secret } from '../../../engine/config/secret.js';
import { fallbackRunbook } from '../../../engine/notify/fallback-runbook.js';
import { NotifyError } from '../../../engine/notify/notify-error.js';
import type { Channel } from '../../../engine/notify/types.js';
import { createSlackChannel } from '../../../integrations/slack/index.js';
import { sampleDiagnosis } from '../sample-diagnosis.js';
import { startSlackFake } from './slack-fake.js';

let fake: Awaited<ReturnType<typeof startSlackFake>>;
let slack: Channel;
const runbook = fallbackRunbook(sampleDiagnosis, 'test');
const sig = () => new AbortController().signal;

beforeEach(async () => {
  fake = await startSlackFake();
  slack = createSlackChannel({
    name: 'oncall',
    token: new Secret('xoxb-test-token'),
    channel: 'C0123ABCD',
    apiUrl: fake.url,
    timeoutMs: 500,
  });
});
afterEach(async () => fake.close());

async function failure(p: Promise<unknown>): Promise<NotifyError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(NotifyError);
  return e as NotifyError;
}

const open = () =>
  slack.send(
    {
      id: 1,
      kind: 'open',
      incidentId: 'inc-1',
      payload: slack.render({ kind: 'open', incidentId: 'inc-1', runbook }),
    },
    sig(),
  );

describe('slack channel against a local Web API', () => {
  it('posts the runbook form-encoded with Block Kit blocks and returns the thread (channel + ts)', async () => {
    const res = await open();
    expect(res.thread).toEqual({ channel: 'C0123ABCD', ts: '1764120000.000001' });
    const [req] = fake.requests;
    expect(req).toMatchObject({ method: 'chat.postMessage', authorization: 'Bearer xoxb-test-token' });
    expect(req!.contentType).toContain('application/x-www-form-urlencoded');
    expect(req!.params.channel).toBe('C0123ABCD');
    expect(req!.params.text).toContain('Go map grows without bound');
    expect((req!.blocks as { type: string }[])[0]?.type).toBe('header');
  });

  it('resolve: a reply in the thread, then chat.update of the first message', async () => {
    const { thread } = await open();
    const input = { incidentId: 'inc-1', runbook, resolvedAt: '2026-11-26T02:00:00Z' };
    await slack.send(
      {
        id: 2,
        kind: 'resolve',
        incidentId: 'inc-1',
        thread,
        payload: slack.render({ kind: 'resolve', ...input }),
      },
      sig(),
    );
    await slack.send(
      {
        id: 3,
        kind: 'resolve-update',
        incidentId: 'inc-1',
        thread,
        payload: slack.render({ kind: 'resolve-update', ...input }),
      },
      sig(),
    );
    const [, reply, update] = fake.requests;
    expect(reply).toMatchObject({ method: 'chat.postMessage', params: { thread_ts: '1764120000.000001' } });
    expect(reply!.params.text).toContain('Resolved');
    expect(update).toMatchObject({
      method: 'chat.update',
      params: { channel: 'C0123ABCD', ts: '1764120000.000001' },
    });
    expect(update!.params.text).toMatch(/^\[RESOLVED\]/);
    expect(JSON.stringify(update!.blocks)).toContain('Resolved');
  });

  it('429 with Retry-After: one request, rateLimited with the delay, no retry inside the client', async () => {
    fake.script.push({ status: 429, headers: { 'retry-after': '7' } });
    const e = await failure(open());
    expect(e).toMatchObject({ reason: 'rateLimited', retryable: true, retryAfterMs: 7000 });
    expect(fake.requests).toHaveLength(1);
  });

  it('HTTP 500 is a retryable server error after exactly one request', async () => {
    fake.script.push({ status: 500, body: 'oops' });
    expect(await failure(open())).toMatchObject({ reason: 'serverError', retryable: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('invalid_auth is an auth error; channel_not_found a client error; neither retryable; no token in messages', async () => {
    fake.script.push({ status: 200, body: { ok: false, error: 'invalid_auth' } });
    const auth = await failure(open());
    expect(auth).toMatchObject({ reason: 'authError', retryable: false });
    fake.script.push({ status: 200, body: { ok: false, error: 'channel_not_found' } });
    const client = await failure(open());
    expect(client).toMatchObject({ reason: 'clientError', retryable: false });
    expect(auth.message + client.message).not.toContain('xoxb');
  });

  it('a Web API that never answers is a timeout', async () => {
    fake.script.push('hang');
    expect(await failure(open())).toMatchObject({ reason: 'timeout', retryable: true });
  });
});
