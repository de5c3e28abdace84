import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../engine/config/secret.js';
import { loadCompiledRules } from '../../../engine/diagnose/load-rules.js';
import { seedStore } from './seed-store.js';
import { registerWebRoutes } from '../../../engine/server/web/register-web-routes.js';
import { openSqliteStore } from '../../../engine/store/sqlite-store.js';
import type { Store } from '../../../engine/store/types.js';

let app: FastifyInstance;
let store: Store;
const ids: Record<string, string> = {};

beforeAll(async () => {
  store = openSqliteStore(mkdtempSync(join(tmpdir(), 'mt-web-')));
  Object.assign(ids, await seedStore(store));
  const rules = await loadCompiledRules();
  app = Fastify();
  registerWebRoutes(app, { store, auth: { bearerTokens: [], basic: [] }, rules: () => rules.ruleSet.rules });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await store.close();
});

describe('web pages', () => {
  it('lists incidents newest first with service, top cause, severity and status', async () => {
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const body = res.body;
    const table = body.slice(body.indexOf('<tbody>'));
    expect(table.indexOf('pricingd')).toBeLessThan(table.indexOf('dedupd'));
    expect(body).toContain('go-map-leak');
    expect(body).toMatch(/status-resolved">resolved/);
    expect(body).not.toContain('<script>alert(1)</script>');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).not.toMatch(/<script\b/i);
  });

  it('filters by cause and status', async () => {
    const rows = async (url: string) => {
      const body = (await app.inject(url)).body;
      return body.slice(body.indexOf('<tbody>'), body.indexOf('</tbody>'));
    };
    const byCause = await rows('/?cause=go-goroutine-leak');
    expect(byCause).toContain('go-goroutine-leak');
    expect(byCause).not.toContain('dedupd');
    const resolved = await rows('/?status=resolved');
    expect(resolved).toContain('dedupd');
    expect(resolved).not.toContain('pricingd');
    expect((await app.inject('/?service=nobody')).body).toContain('No incidents match these filters');
  });

  it('shows an incident: runbook, evidence, facts with sources, deliveries, bundle link', async () => {
    const res = await app.inject(`/incidents/${ids['pub-map-leak']}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Go map grows without bound');
    expect(res.body).toMatch(/memstats\.heapObjectsSlopePerSecond/);
    expect(res.body).toMatch(
      /<code>gctrace\.liveHeapBytes<\/code><\/td>\s*<td class="num">88\.0 MiB<\/td>\s*<td class="wide">gctrace<\/td>/,
    );
    expect(res.body).toContain('download the raw bundle');
    expect((await app.inject('/incidents/does-not-exist')).statusCode).toBe(404);
  });

  it('one state everywhere: a resolved incident shows "resolved" in the runbook too, never "firing"', async () => {
    const res = await app.inject(`/incidents/${ids['pub-map-leak']}`);
    expect(res.body).toMatch(/status-resolved">resolved/);
    const runbook = res.body.slice(res.body.indexOf('<div class="runbook">'));
    expect(runbook).toMatch(/class="mt-meta">.*· resolved<\/p>/);
    expect(res.body.slice(res.body.indexOf('<body'))).not.toMatch(/firing/);
    const firing = await app.inject(`/incidents/${ids['pub-goroutine-leak']}`);
    expect(firing.body).toMatch(/class="mt-meta">.*· firing<\/p>/);
  });

  it('says the title and the incident id once, and leads with the steps', async () => {
    const body = (await app.inject(`/incidents/${ids['pub-map-leak']}`)).body;
    const main = body.slice(body.indexOf('<main'));
    expect(main.match(/<h1\b/g)).toHaveLength(1);
    expect(main.match(/a map grows without bound/g)).toHaveLength(1);
    expect(main.match(/incident pub-map-leak/g)).toHaveLength(1);
    expect(main.indexOf('>Right now<')).toBeGreaterThan(0);
    expect(main.indexOf('>Right now<')).toBeLessThan(main.indexOf('>What is happening<'));
    expect(main.indexOf('>Right now<')).toBeLessThan(main.indexOf('>Why memtriage thinks so<'));
  });

  it('serves the raw bundle as a tar.gz with the bundle files', async () => {
    const res = await app.inject(`/incidents/${ids['pub-map-leak']}/bundle.tar.gz`);
    expect(res.statusCode).toBe(200);
    const tar = gunzipSync(res.rawPayload).toString('latin1');
    expect(tar).toContain('/gctrace.log');
    expect(tar).toContain('/memstats.jsonl');
    expect(tar).toContain('ustar');
  });

  it('lists the loaded rules with when each last fired', async () => {
    const res = await app.inject('/rules');
    expect(res.body).toContain('go-map-leak');
    expect(res.body).toMatch(/jvm-offheap<\/code>[\s\S]*?never/);
  });

  it('shows a rule: its files, and the incidents it named as the top cause', async () => {
    const list = await app.inject('/rules');
    expect(list.body).toMatch(/<a href="\/rules\/go-map-leak"><code>go-map-leak<\/code><\/a\s*>/);
    const res = await app.inject('/rules/go-map-leak');
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain('Go map grows without bound');
    expect(body).toMatch(/<h2>rule\.yaml<\/h2>\s*<pre>[^<]*id: go-map-leak/);
    expect(body).toMatch(/<h2>README\.md<\/h2>\s*<pre>[^<]*# go-map-leak/);
    expect(body).toMatch(/<h2>cases\.yaml<\/h2>\s*<pre>[^<]*fires:/);
    expect(body).toContain(`href="/incidents/${ids['pub-map-leak']}"`);
    expect(body).toContain('href="/?cause=go-map-leak"');
    expect((await app.inject('/rules/no-such-rule')).statusCode).toBe(404);
    expect((await app.inject('/rules/%3Cscript%3E')).body).not.toContain('<script>');
  });

  it("shows a user rule's files as text, never as HTML", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-rule-'));
    writeFileSync(join(dir, 'rule.yaml'), 'id: hostile\n# <img src=x onerror=alert(1)>\n');
    writeFileSync(join(dir, 'README.md'), '# hostile\n<script>alert(1)</script>\n[x](javascript:alert(1))\n');
    const base = (await loadCompiledRules()).ruleSet.rules.find((r) => r.id === 'go-map-leak')!;
    const rule = {
      ...base,
      id: 'hostile',
      dir,
      file: join(dir, 'rule.yaml'),
      readme: join(dir, 'README.md'),
    };
    const own = Fastify();
    registerWebRoutes(own, { store, auth: { bearerTokens: [], basic: [] }, rules: () => [rule] });
    const body = (await own.inject('/rules/hostile')).body;
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(body).not.toMatch(/<script\b|<img\b|href="javascript:/i);
    expect(body).not.toContain('<h2>cases.yaml</h2>');
    await own.close();
  });

  it('asks for credentials when auth is configured', async () => {
    const locked = Fastify();
    registerWebRoutes(locked, {
      store,
      auth: { bearerTokens: [], basic: [{ username: 'sre', password: new Secret('s3cret') }] },
      rules: () => [],
    });
    const denied = await locked.inject('/');
    expect(denied.statusCode).toBe(401);
    expect(denied.headers['www-authenticate']).toMatch(/^Basic/);
    const ok = await locked.inject({
      url: '/',
      headers: { authorization: `Basic ${Buffer.from('sre:s3cret').toString('base64')}` },
    });
    expect(ok.statusCode).toBe(200);
    await locked.close();
  });
});
