import { afterEach, describe, expect, it } from 'vitest';
import { signBody } from '../../engine/server/auth.js';
import { Secret } from '../../engine/config/secret.js';
import { amPayload, makeServer } from './server-fixture.js';

let s: ReturnType<typeof makeServer>;
afterEach(async () => s?.close());

const body = JSON.stringify(amPayload());
const post = (headers: Record<string, string>, payload = body) =>
  s.app.inject({
    method: 'POST',
    url: '/webhook/alertmanager',
    payload,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('webhook auth', () => {
  it('bearer: right token accepted, wrong or missing token 401 with a JSON body', async () => {
    s = makeServer((c) => (c.auth.bearerTokens = [new Secret('s3cret-token')]));
    expect((await post({ authorization: 'Bearer s3cret-token' })).statusCode).toBe(202);
    const wrong = await post({ authorization: 'Bearer s3cret-tokeN' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: { code: 'MT_ERR_HTTP_UNAUTHORIZED' } });
    expect(wrong.body).not.toContain('s3cret');
    expect((await post({})).statusCode).toBe(401);
    expect((await post({ authorization: 'Digest abc' })).statusCode).toBe(401);
    // health and metrics stay open for probes and scrapers
    expect((await s.app.inject('/healthz')).statusCode).toBe(200);
  });

  it('percent-encoded, trailing-slash and query variants of the webhook path are not a way around auth', async () => {
    s = makeServer((c) => (c.auth.bearerTokens = [new Secret('s3cret-token')]));
    const variants = [
      '/%77ebhook/alertmanager',
      '/webhook/%61lertmanager',
      '/webhook/alertmanager?x=1',
      '/%77ebhook/generic',
    ];
    for (const url of variants) {
      const res = await s.app.inject({
        method: 'POST',
        url,
        payload: body,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode, url).toBe(401);
    }
    expect(await s.store.listIncidents(10)).toHaveLength(0);
  });

  it('basic auth as Alertmanager basic_auth sends it', async () => {
    s = makeServer((c) => (c.auth.basic = [{ username: 'am', password: new Secret('pw:with:colons') }]));
    const good = `Basic ${Buffer.from('am:pw:with:colons').toString('base64')}`;
    expect((await post({ authorization: good })).statusCode).toBe(202);
    const bad = `Basic ${Buffer.from('am:pw').toString('base64')}`;
    expect((await post({ authorization: bad })).statusCode).toBe(401);
    expect((await post({ authorization: 'Basic !!!' })).statusCode).toBe(401);
  });

  it('HMAC: signed body within the window accepted once; tampered, stale or replayed refused', async () => {
    const nowMs = 1_800_000_000_000;
    s = makeServer(
      (c) =>
        (c.auth.hmac = {
          secret: new Secret('hmac-key'),
          signatureHeader: 'X-Memtriage-Signature',
          timestampHeader: 'X-Memtriage-Timestamp',
          windowSeconds: 300,
        }),
      () => nowMs,
    );
    const ts = String(nowMs / 1000 - 10);
    const sig = signBody('hmac-key', ts, body);
    const h = { 'x-memtriage-signature': sig, 'x-memtriage-timestamp': ts };
    expect((await post(h)).statusCode).toBe(202);
    expect((await post(h)).json()).toMatchObject({ error: { message: expect.stringContaining('replay') } });
    expect((await post(h, body.replace('CpuHigh', 'CpuLow'))).statusCode).toBe(401);
    const old = String(nowMs / 1000 - 301);
    expect(
      (await post({ 'x-memtriage-signature': signBody('hmac-key', old, body), 'x-memtriage-timestamp': old }))
        .statusCode,
    ).toBe(401);
    expect((await post({})).statusCode).toBe(401);
  });

  it('Secret never shows its value in JSON, strings or inspect', async () => {
    const { inspect } = await import('node:util');
    const sec = new Secret('xoxb-very-secret');
    const dump = JSON.stringify({ sec }) + String(sec) + inspect({ sec }) + `${sec}`;
    expect(dump).not.toContain('very-secret');
    expect(sec.reveal()).toBe('xoxb-very-secret');
  });
});
