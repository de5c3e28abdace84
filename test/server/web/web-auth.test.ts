import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../engine/config/config-error.js';
import { parseConfig } from '../../../engine/config/load-config.js';
import { loadCompiledRules } from '../../../engine/diagnose/load-rules.js';
import { buildServer } from '../../../engine/server/build-server.js';
import { createMetrics } from '../../../engine/server/metrics.js';
import { ipRangeMatcher, parseIpRange, type IpRange } from '../../../engine/shared/ip-ranges.js';
import { openSqliteStore } from '../../../engine/store/sqlite-store.js';
import { launchChromium, RUN_CHROMIUM } from '../../helpers/chromium.js';
import { amPayload } from '../server-fixture.js';
import { seedStore } from './seed-store.js';

/**
 * How people sign in to the web pages, over real HTTP: Basic users with a challenge a browser
 * answers, bearer tokens for scripts, and an auth proxy's user header believed only from its
 * own address (the TCP peer, never X-Forwarded-For).
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Running {
  base: string;
  port: number;
  app: FastifyInstance;
  warnings: string[];
}

/** `serve` as configured by this YAML (auth only), listening on 127.0.0.1, with three incidents. */
async function serve(authYaml: string, env: Record<string, string> = {}): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'mt-web-auth-'));
  const config = parseConfig('conf.yaml', `server: { dataDir: ${JSON.stringify(dir)} }\n${authYaml}`, env);
  const store = openSqliteStore(dir);
  await seedStore(store);
  const rules = await loadCompiledRules();
  const warnings: string[] = [];
  const logger = quietLogger(warnings);
  const app = buildServer({
    config,
    store,
    metrics: createMetrics(),
    logger,
    onAccepted: () => undefined,
    web: { rules: () => rules.ruleSet.rules },
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { base, port: Number(new URL(base).port), app, warnings };
}

/** A pino-compatible logger that keeps the warnings (buildServer takes a logger instance). */
function quietLogger(warnings: string[]) {
  const noop = () => undefined;
  const logger = {
    level: 'warn',
    info: noop,
    debug: noop,
    trace: noop,
    error: noop,
    fatal: noop,
    silent: noop,
    warn: (...args: unknown[]) => {
      warnings.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    },
    child: () => logger,
  };
  return logger as unknown as NonNullable<Parameters<typeof buildServer>[0]['logger']>;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One GET over a real socket, optionally from another loopback address (127.0.0.2 is a different peer). */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  localAddress = '127.0.0.1',
  method = 'GET',
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        headers: { host: `127.0.0.1:${port}`, ...headers },
        localAddress,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('web sign-in with auth.web users (Basic)', () => {
  const yaml = `auth:
  bearerTokens: ['\${TOKEN}']
  web:
    basic: [{ username: sre, password: '\${WEB_PASSWORD}' }]
`;
  const env = { TOKEN: 'webhook-token-123', WEB_PASSWORD: 'pa55:word' };

  it('answers 401 with WWW-Authenticate: Basic realm="memtriage" on every page, and lets the right user in', async () => {
    const s = await serve(yaml, env);
    for (const path of ['/', '/rules', '/incidents/x', '/incidents/x/bundle.tar.gz']) {
      const denied = await get(s.port, path);
      expect(denied.status, path).toBe(401);
      expect(denied.headers['www-authenticate'], path).toMatch(/^Basic realm="memtriage"/);
      expect(denied.headers['cache-control']).toBe('no-store');
      expect(denied.body).toContain('Sign in required');
    }
    const ok = await get(s.port, '/', { authorization: basic('sre', 'pa55:word') });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('dedupd');
    for (const wrong of [
      basic('sre', 'pa55:wor'),
      basic('SRE', 'pa55:word'),
      basic('sre', ''),
      'Basic !!!',
    ]) {
      const r = await get(s.port, '/', { authorization: wrong });
      expect(r.status, wrong).toBe(401);
      expect(r.body).not.toContain('pä55');
    }
    // The webhook's bearer token opens the pages too (scripts); the web user does not open the webhook.
    expect((await get(s.port, '/', { authorization: 'Bearer webhook-token-123' })).status).toBe(200);
    const hook = await get(
      s.port,
      '/webhook/alertmanager',
      { authorization: basic('sre', 'pa55:word'), 'content-type': 'application/json' },
      '127.0.0.1',
      'POST',
      JSON.stringify(amPayload()),
    );
    expect(hook.status).toBe(401);
    expect(s.warnings.filter((w) => w.includes('browser'))).toEqual([]);
  });

  it.skipIf(!RUN_CHROMIUM)(
    'Chromium asks, and signs in with the user and password it is given',
    async () => {
      const s = await serve(yaml, env);
      const browser = await launchChromium();
      cleanups.push(() => browser.close());
      // Without credentials to give, headless Chromium cancels the sign-in prompt the challenge
      // opened (a page without the challenge would just show the 401 body).
      const anonymous = await browser.newContext();
      await expect((await anonymous.newPage()).goto(`${s.base}/`)).rejects.toThrow(
        /ERR_INVALID_AUTH_CREDENTIALS/,
      );
      const context = await browser.newContext({
        httpCredentials: { username: 'sre', password: 'pa55:word' },
        viewport: { width: 1280, height: 800 },
      });
      const tab = await context.newPage();
      const res = await tab.goto(`${s.base}/`);
      expect(res?.status()).toBe(200);
      await expect(tab.locator('tbody').innerText()).resolves.toContain('dedupd');
      mkdirSync('test-artifacts/web', { recursive: true });
      await tab.screenshot({ path: 'test-artifacts/web/signed-in-desktop.png' });
    },
    60_000,
  );
});

describe('web sign-in through a trusted auth proxy (oauth2-proxy style)', () => {
  it('believes X-Forwarded-User from the proxy address only, never from another peer or X-Forwarded-For', async () => {
    const s = await serve(`auth:
  bearerTokens: [webhook-token-123]
  web:
    proxy: { trustedAddresses: [127.0.0.2/32, 'fd00::/8'] }
`);
    const viaProxy = await get(s.port, '/', { 'x-forwarded-user': 'alice@example.com' }, '127.0.0.2');
    expect(viaProxy.status).toBe(200);
    expect(viaProxy.body).toContain('dedupd');
    // The same header straight from another address is ignored (and logged).
    const direct = await get(s.port, '/', { 'x-forwarded-user': 'alice@example.com' });
    expect(direct.status).toBe(401);
    expect(s.warnings.some((w) => w.includes('trustedAddresses'))).toBe(true);
    // X-Forwarded-For is written by the client: it does not make a peer trusted.
    const spoofed = await get(s.port, '/', {
      'x-forwarded-user': 'alice@example.com',
      'x-forwarded-for': '127.0.0.2',
      forwarded: 'for=127.0.0.2',
    });
    expect(spoofed.status).toBe(401);
    // From the proxy without a user (the proxy let an unauthenticated request through): no.
    expect((await get(s.port, '/', {}, '127.0.0.2')).status).toBe(401);
    expect((await get(s.port, '/', { 'x-forwarded-user': '   ' }, '127.0.0.2')).status).toBe(401);
    expect((await get(s.port, '/', { 'x-forwarded-user': 'a'.repeat(257) }, '127.0.0.2')).status).toBe(401);
    // Other credentials still work beside the proxy.
    expect((await get(s.port, '/', { authorization: 'Bearer webhook-token-123' })).status).toBe(200);
    // The proxy's header never opens the webhook.
    const hook = await get(
      s.port,
      '/webhook/alertmanager',
      { 'x-forwarded-user': 'alice', 'content-type': 'application/json' },
      '127.0.0.2',
      'POST',
      JSON.stringify(amPayload()),
    );
    expect(hook.status).toBe(401);
  });

  it('reads only the configured header (X-Auth-Request-User behind nginx auth_request)', async () => {
    const s = await serve(`auth:
  hmac: { secret: '0123456789abcdef0123' }
  web:
    proxy: { trustedAddresses: [127.0.0.2], userHeader: X-Auth-Request-User }
`);
    expect((await get(s.port, '/', { 'x-auth-request-user': 'bob' }, '127.0.0.2')).status).toBe(200);
    expect((await get(s.port, '/', { 'x-forwarded-user': 'bob' }, '127.0.0.2')).status).toBe(401);
    const direct = await get(s.port, '/', { 'x-auth-request-user': 'bob' });
    expect(direct.status).toBe(401);
    expect(direct.body).toContain('sign in through the auth proxy');
  });
});

describe('web sign-in with bearer tokens only', () => {
  it('answers 401 with a Bearer challenge and warns at start that browsers cannot sign in', async () => {
    const s = await serve(`auth: { bearerTokens: [webhook-token-123] }\n`);
    const denied = await get(s.port, '/');
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Bearer realm="memtriage"');
    expect(s.warnings.some((w) => w.includes('auth.web.basic') && w.includes('auth.web.proxy'))).toBe(true);
  });
});

describe('auth.web.proxy in the config', () => {
  const problems = (yaml: string) => {
    try {
      parseConfig('conf.yaml', yaml, {});
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
    }
    throw new Error('expected a ConfigError');
  };

  it('takes addresses and CIDR ranges only, and a header name', () => {
    expect(
      problems(`auth:
  web:
    proxy: { trustedAddresses: [oauth2-proxy.monitoring, 10.0.0.0/33, '::1/129'], userHeader: 'X User' }
`),
    ).toEqual([
      expect.stringMatching(/^auth\.web\.proxy\.trustedAddresses\[0\]: .*not an IP address or CIDR range/),
      expect.stringMatching(/^auth\.web\.proxy\.trustedAddresses\[1\]: .*prefix length must be 0–32/),
      expect.stringMatching(/^auth\.web\.proxy\.trustedAddresses\[2\]: .*prefix length must be 0–128/),
      expect.stringMatching(/^auth\.web\.proxy\.userHeader: must be an HTTP header name/),
    ]);
    expect(problems(`auth: { web: { proxy: { trustedAddresses: [] } } }\n`)).toEqual([
      expect.stringMatching(/^auth\.web\.proxy\.trustedAddresses: /),
    ]);
    const config = parseConfig(
      'c.yaml',
      `auth: { web: { proxy: { trustedAddresses: [10.42.0.0/16] } } }\n`,
      {},
    );
    expect(config.auth.web?.proxy).toEqual({
      trustedAddresses: [{ address: '10.42.0.0', prefix: 16, family: 'ipv4' }],
      userHeader: 'x-forwarded-user',
    });
  });

  it('refuses a trusted range that admits every peer (any client could then name itself)', () => {
    expect(
      problems(`auth:
  web:
    proxy: { trustedAddresses: [0.0.0.0/0, '::/0', '::ffff:0.0.0.0/96', '::/64'] }
`),
    ).toEqual([
      expect.stringMatching(/^auth\.web\.proxy\.trustedAddresses\[0\]: .*admits every address/),
      expect.stringMatching(/^auth\.web\.proxy\.trustedAddresses\[1\]: .*admits every address/),
      expect.stringMatching(/^auth\.web\.proxy\.trustedAddresses\[2\]: .*admits every IPv4 address/),
      expect.stringMatching(/^auth\.web\.proxy\.trustedAddresses\[3\]: .*admits every IPv4 address/),
    ]);
    // narrower ranges, IPv4-mapped ones included, stay as they were
    const config = parseConfig(
      'c.yaml',
      `auth: { web: { proxy: { trustedAddresses: ['::ffff:10.0.0.0/104', 'fd00::/8', 10.0.0.0/8] } } }\n`,
      {},
    );
    expect(config.auth.web?.proxy?.trustedAddresses).toHaveLength(3);
  });

  it('matches IPv4 peers on dual-stack sockets (::ffff:a.b.c.d) and IPv6 ranges', () => {
    const ranges = ['10.42.0.0/16', 'fd00::/8', '192.0.2.7'].map((t) => {
      const r = parseIpRange(t);
      if (!r.ok) throw new Error(r.message);
      return r.range;
    }) satisfies IpRange[];
    const trusted = ipRangeMatcher(ranges);
    expect(trusted('10.42.3.4')).toBe(true);
    expect(trusted('::ffff:10.42.3.4')).toBe(true);
    expect(trusted('10.43.0.1')).toBe(false);
    expect(trusted('fd12::1')).toBe(true);
    expect(trusted('fe80::1')).toBe(false);
    expect(trusted('192.0.2.7')).toBe(true);
    expect(trusted('192.0.2.8')).toBe(false);
    expect(trusted(undefined)).toBe(false);
    expect(trusted('not-an-ip')).toBe(false);
  });
});
