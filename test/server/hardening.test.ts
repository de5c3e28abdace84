import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../engine/config/default-config.js';
import { Secret } from '../../engine/config/secret.js';
import type { ServerConfig } from '../../engine/config/types.js';
import { loadCompiledRules } from '../../engine/diagnose/load-rules.js';
import { signBody } from '../../engine/server/auth.js';
import { buildServer } from '../../engine/server/build-server.js';
import { createMetrics } from '../../engine/server/metrics.js';
import { startServer } from '../../engine/server/start-server.js';
import type { RunningServer } from '../../engine/server/start-server.js';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import { amPayload } from './server-fixture.js';

const dirs: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mt-harden-'));
  dirs.push(d);
  return d;
};

const HMAC = {
  secret: new Secret('hmac-key-0123456789'),
  signatureHeader: 'X-Memtriage-Signature',
  timestampHeader: 'X-Memtriage-Timestamp',
  windowSeconds: 300,
};

async function app(dir: string, configure: (c: ServerConfig) => void, now?: () => number) {
  const config = defaultConfig();
  config.server.dataDir = dir;
  configure(config);
  const store = openSqliteStore(dir);
  const rules = await loadCompiledRules();
  const a = buildServer({
    config,
    store,
    metrics: createMetrics(),
    logger: false,
    ...(now ? { now } : {}),
    onAccepted: () => undefined,
    web: { rules: () => rules.ruleSet.rules },
  });
  const close = async () => {
    await a.close();
    await store.close();
  };
  cleanups.push(close);
  return { app: a, store, close };
}

const body = JSON.stringify(amPayload());
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

describe('every page behind the configured auth', () => {
  it('HMAC-only: /, an incident page and its bundle are 401 without auth.web; auth.web opens them', async () => {
    const { app: a } = await app(tmp(), (c) => (c.auth.hmac = HMAC));
    for (const url of ['/', '/rules', '/incidents/x', '/incidents/x/bundle.tar.gz']) {
      const res = await a.inject(url);
      expect(res.statusCode, url).toBe(401);
      expect(res.body).toContain('auth.web');
    }
    const { app: b } = await app(tmp(), (c) => {
      c.auth.hmac = HMAC;
      c.auth.web = { bearerTokens: [], basic: [{ username: 'sre', password: new Secret('pw') }] };
    });
    expect((await b.inject('/')).statusCode).toBe(401);
    expect((await b.inject('/')).headers['www-authenticate']).toMatch(/^Basic/);
    expect((await b.inject({ url: '/', headers: { authorization: basic('sre', 'pw') } })).statusCode).toBe(
      200,
    );
    expect((await b.inject({ url: '/', headers: { authorization: basic('sre', 'no') } })).statusCode).toBe(
      401,
    );
    // web credentials do not open the webhooks
    const hook = await b.inject({
      method: 'POST',
      url: '/webhook/alertmanager',
      payload: body,
      headers: { 'content-type': 'application/json', authorization: basic('sre', 'pw') },
    });
    expect(hook.statusCode).toBe(401);
  });

  it('refuses to start with open pages on a non-loopback address; loopback and any auth are fine', async () => {
    await expect(app(tmp(), (c) => (c.server.host = '0.0.0.0'))).rejects.toMatchObject({
      code: 'MT_ERR_CONFIG_OPEN_PAGES',
    });
    await app(tmp(), (c) => (c.server.host = '::1'));
    await app(tmp(), (c) => {
      c.server.host = '0.0.0.0';
      c.auth.hmac = HMAC;
    });
  });

  it('basic auth: a wrong user name with the right password is refused like any other', async () => {
    const { app: a } = await app(
      tmp(),
      (c) => (c.auth.basic = [{ username: 'am', password: new Secret('pw') }]),
    );
    const post = (authorization: string) =>
      a.inject({
        method: 'POST',
        url: '/webhook/alertmanager',
        payload: body,
        headers: { 'content-type': 'application/json', authorization },
      });
    expect((await post(basic('am', 'pw'))).statusCode).toBe(202);
    expect((await post(basic('amx', 'pw'))).statusCode).toBe(401);
    expect((await post(basic('am', 'pwx'))).statusCode).toBe(401);
  });
});

describe('DNS rebinding: the Host header', () => {
  it('refuses a foreign Host with 421; accepts localhost, IP literals, externalUrl and allowedHosts', async () => {
    const { app: a, store } = await app(tmp(), (c) => {
      c.server.externalUrl = new URL('https://memtriage.example.com/');
      c.server.allowedHosts = ['memtriage.internal'];
    });
    const get = (host: string, url = '/') => a.inject({ url, headers: { host } });
    expect((await get('evil.example:9767')).statusCode).toBe(421);
    expect((await get('evil.example:9767')).json()).toMatchObject({
      error: { code: 'MT_ERR_HTTP_MISDIRECTED' },
    });
    const injected = await a.inject({
      method: 'POST',
      url: '/webhook/alertmanager',
      payload: body,
      headers: { host: 'rebound.attacker.example', 'content-type': 'application/json' },
    });
    expect(injected.statusCode).toBe(421);
    expect(await store.countIncidents({})).toBe(0);
    for (const ok of [
      'localhost:9767',
      '127.0.0.1:9767',
      '[::1]:9767',
      '10.0.0.7',
      'memtriage.example.com',
      'MEMTRIAGE.INTERNAL:9767',
    ]) {
      expect((await get(ok)).statusCode, ok).toBe(200);
    }
    // probes and scrapers use whatever name reaches the pod
    expect((await get('orders-memtriage.svc', '/healthz')).statusCode).toBe(200);
    expect((await get('orders-memtriage.svc', '/metrics')).statusCode).toBe(200);
  });
});

describe('HMAC replay cache survives a restart', () => {
  it('a signature used before the restart is refused after it, within the window', async () => {
    const dir = tmp();
    const nowMs = 1_800_000_000_000;
    const ts = String(nowMs / 1000 - 5);
    const headers = {
      'content-type': 'application/json',
      'x-memtriage-signature': signBody(HMAC.secret.reveal(), ts, body),
      'x-memtriage-timestamp': ts,
    };
    const first = await app(
      dir,
      (c) => (c.auth.hmac = HMAC),
      () => nowMs,
    );
    const post = (x: typeof first.app) =>
      x.inject({ method: 'POST', url: '/webhook/alertmanager', payload: body, headers });
    expect((await post(first.app)).statusCode).toBe(202);
    await first.close();
    cleanups.pop();
    const second = await app(
      dir,
      (c) => (c.auth.hmac = HMAC),
      () => nowMs + 60_000,
    );
    const replay = await post(second.app);
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ error: { message: expect.stringContaining('replay') } });
  });

  it('expired entries are dropped, unexpired ones kept however many there are', async () => {
    const store = openSqliteStore(tmp());
    cleanups.push(() => store.close());
    // more than the 10,000 the in-memory cache held before it evicted the oldest, unexpired or not
    for (let i = 0; i < 10_001; i++) expect(await store.rememberSignature(`s${i}`, 2000, 1000)).toBe(true);
    expect(await store.rememberSignature('s0', 2000, 1500)).toBe(false);
    expect(await store.rememberSignature('s10000', 2000, 1500)).toBe(false);
    expect(await store.rememberSignature('s0', 4000, 2000)).toBe(true);
  });
});

describe('alert limits', () => {
  it('one alert with 70,000 labels, or labels and annotations past 64 Ki characters, is a 422', async () => {
    const { app: a, store } = await app(tmp(), () => undefined);
    const post = (p: unknown) =>
      a.inject({
        method: 'POST',
        url: '/webhook/alertmanager',
        payload: JSON.stringify(p),
        headers: { 'content-type': 'application/json' },
      });
    const alertsOf = (p: Record<string, unknown>) => p.alerts as Record<string, unknown>[];
    const many = amPayload();
    (alertsOf(many)[0] as { labels: Record<string, string> }).labels = Object.fromEntries(
      Array.from({ length: 70_000 }, (_, i) => [`l${i}`, 'v']),
    );
    expect((await post(many)).statusCode).toBe(422);
    const big = amPayload();
    (alertsOf(big)[0] as { annotations: Record<string, string> }).annotations = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`a${i}`, 'x'.repeat(8000)]),
    );
    const res = await post(big);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('65536');
    const generic = await a.inject({
      method: 'POST',
      url: '/webhook/generic',
      payload: JSON.stringify({
        alert: {
          name: 'x',
          labels: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`l${i}`, 'v'])),
        },
      }),
      headers: { 'content-type': 'application/json' },
    });
    expect(generic.statusCode).toBe(422);
    expect(await store.countIncidents({})).toBe(0);
    expect((await post(amPayload())).statusCode).toBe(202);
  });
});

describe('timeouts and stalled bodies (real HTTP)', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function serve(extra: string[]) {
    const dir = tmp();
    const cfg = join(dir, 'c.yaml');
    writeFileSync(
      cfg,
      [`server: { dataDir: ${JSON.stringify(join(dir, 'data'))}${extra.join('')} }`].join('\n'),
    );
    server = await startServer({ config: cfg, port: 0, logger: false });
    return new URL(server.url);
  }

  /** Sends the headers of a POST with a body it never finishes; resolves when the server closes the socket. */
  function stalled(url: URL, dribbleMs?: number) {
    const socket = connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.write(
      `POST /webhook/alertmanager HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{`,
    );
    const timer = dribbleMs ? setInterval(() => socket.write(' '), dribbleMs) : undefined;
    const closed = new Promise<string>((resolve) => {
      socket.on('close', () => {
        clearInterval(timer);
        resolve(answer);
      });
      socket.on('error', () => undefined);
    });
    return { socket, closed };
  }

  it('a body dribbled a byte at a time is cut off at requestTimeout', async () => {
    const url = await serve([', requestTimeout: 2s, headersTimeout: 1s']);
    const started = Date.now();
    const { closed } = stalled(url, 300);
    const answer = await closed;
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(4500);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 15_000);

  it('bodies read before any credential are capped: one more is a 503 with Retry-After', async () => {
    const url = await serve([', maxUnauthenticatedBodies: 4']);
    const held = Array.from({ length: 4 }, () => stalled(url));
    await new Promise((r) => setTimeout(r, 300));
    const busy = await fetch(`${server!.url}/webhook/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await busy.json()).toMatchObject({ error: { code: 'MT_ERR_HTTP_BUSY' } });
    for (const h of held) h.socket.destroy();
    await Promise.all(held.map((h) => h.closed));
    await new Promise((r) => setTimeout(r, 100));
    const ok = await fetch(`${server!.url}/webhook/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(ok.status).toBe(202);
  }, 15_000);
});
