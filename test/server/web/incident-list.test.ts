import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../../engine/diagnose/types.js';
import { age, utcMinutes } from '../../../engine/server/web/incident-list-page.js';
import { registerWebRoutes } from '../../../engine/server/web/register-web-routes.js';
import { openSqliteStore } from '../../../engine/store/sqlite-store.js';
import type { Store } from '../../../engine/store/types.js';

/**
 * The incident list tells incidents apart: alert name, service, instance (or pod), top cause,
 * severity (the diagnosis's, else the alert's), status, start with age and time zone, the summary
 * under the row; filters by service, cause, severity and status in SQL. Every value is the
 * alert's, so each is also tried hostile.
 */

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const EVIL = `<script>alert(1)</script>"'&amp;`;
let dir: string;
let store: Store;
const app = Fastify();
const ids: Record<string, string> = {};

function diagnosis(ruleId: string | undefined, severity: string): Diagnosis {
  return {
    version: 1,
    generatedAt: new Date(NOW).toISOString(),
    incident: { id: 'x', source: 'alertmanager', labels: {}, annotations: {}, status: 'firing' },
    outcome: ruleId ? 'cause-found' : 'inconclusive',
    causes: ruleId ? [{ ruleId, title: ruleId, severity, kind: 'cause', confidence: 0.9, evidence: [] }] : [],
    collectNext: [],
    missingSources: [],
    facts: {},
    series: {},
    growingSites: [],
    warnings: [],
  } as unknown as Diagnosis;
}

async function add(
  key: string,
  receivedAt: number,
  payload: unknown,
  opts: { source?: 'alertmanager' | 'generic'; diagnosis?: Diagnosis; resolved?: boolean } = {},
) {
  const { incident } = await store.recordAlert({
    dedupKey: key,
    source: opts.source ?? 'alertmanager',
    groupKey: key,
    status: 'firing',
    payload,
    now: receivedAt,
  });
  if (opts.diagnosis)
    await store.updateIncident(incident.id, { stage: 'queued', diagnosis: opts.diagnosis }, receivedAt);
  if (opts.resolved) {
    await store.recordAlert({
      dedupKey: key,
      source: opts.source ?? 'alertmanager',
      groupKey: key,
      status: 'resolved',
      payload,
      now: receivedAt + 1,
    });
  }
  ids[key] = incident.id;
}

const am = (labels: Record<string, string>, annotations: Record<string, string>, startsAt: string) => ({
  status: 'firing',
  commonLabels: { alertname: labels['alertname'] ?? '', service: labels['service'] ?? '' },
  alerts: [{ status: 'firing', labels, annotations, startsAt }],
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mt-list-'));
  store = openSqliteStore(dir);
  // Two instances of one service, told apart by pod and summary.
  await add(
    'orders-a',
    NOW - 3 * 3600_000,
    am(
      {
        alertname: 'MemoryHigh',
        service: 'orders',
        pod: 'orders-7d9f-a',
        instance: '10.0.0.1:6060',
        severity: 'critical',
      },
      { summary: 'RSS of orders-7d9f-a at 93% of its limit' },
      new Date(NOW - 3 * 3600_000 - 5 * 60_000).toISOString(),
    ),
    { diagnosis: diagnosis('go-map-leak', 'critical'), resolved: true },
  );
  await add(
    'orders-b',
    NOW - 25 * 60_000,
    am(
      { alertname: 'MemoryHigh', service: 'orders', pod: 'orders-7d9f-b', severity: 'critical' },
      { summary: 'RSS of orders-7d9f-b at 91% of its limit' },
      new Date(NOW - 27 * 60_000).toISOString(),
    ),
    // inconclusive: the alert's own severity is shown, not "—"
    { diagnosis: diagnosis(undefined, 'info') },
  );
  // A diagnosis's severity wins over the alert's label.
  await add(
    'pricing',
    NOW - 2 * 86_400_000,
    am(
      { alertname: 'GoHeapGrowing', service: 'pricing', instance: 'pricing-0:6060', severity: 'critical' },
      { description: 'heap grows' },
      '0001-01-01T00:00:00Z',
    ),
    { diagnosis: diagnosis('go-gc-thrash', 'warning') },
  );
  // Generic webhook, no diagnosis yet.
  await add(
    'generic',
    NOW - 40_000,
    {
      alert: {
        name: 'RssHigh',
        labels: { service: 'search', instance: 'search-2:9100', severity: 'Info' },
        annotations: { summary: 'search RSS high' },
      },
    },
    { source: 'generic' },
  );
  // Hostile everywhere.
  await add(
    'evil',
    NOW - 10 * 60_000,
    am(
      { alertname: EVIL, service: EVIL, pod: EVIL, severity: `critical" onmouseover="alert(1)` },
      { summary: `${EVIL}${'x'.repeat(5000)}` },
      'not a time',
    ),
  );
  registerWebRoutes(app, {
    store,
    auth: { bearerTokens: [], basic: [] },
    rules: () => [],
    now: () => NOW,
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The list's rows: each incident row with the summary row under it, as text per cell. */
async function rows(url: string) {
  const body = (await app.inject(url)).body;
  const tbody = body.slice(body.indexOf('<tbody>'), body.indexOf('</tbody>'));
  return tbody
    .split('<tr class="incident">')
    .slice(1)
    .map((chunk) => {
      const [main, summary] = chunk.split('<tr class="alert-summary">');
      const desktop = (main ?? '').replace(/<div class="phone muted">[\s\S]*?<\/div>/g, '');
      const cells = [...desktop.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) =>
        (m[1] ?? '')
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      );
      return {
        cells,
        summary: summary ? (/<td[^>]*>([\s\S]*?)<\/td>/.exec(summary)?.[1] ?? '').trim() : undefined,
        html: main ?? '',
      };
    });
}

describe('the incident list', () => {
  it('shows alert, service, instance or pod, cause, severity, status and start with age in UTC; the summary under the row', async () => {
    const all = await rows('/');
    expect(all).toHaveLength(5);
    const [generic, evil, ordersB, ordersA, pricing] = all;
    expect(ordersB!.cells).toEqual([
      'MemoryHigh',
      'orders',
      'orders-7d9f-b',
      'inconclusive',
      'critical',
      'firing',
      `${utcMinutes(NOW - 27 * 60_000)} 27m ago`,
    ]);
    expect(ordersB!.summary).toBe('RSS of orders-7d9f-b at 91% of its limit');
    expect(ordersA!.cells).toEqual([
      'MemoryHigh',
      'orders',
      'orders-7d9f-a',
      'go-map-leak',
      'critical',
      'resolved',
      '2026-11-25 08:55 UTC 3h 5m ago',
    ]);
    expect(ordersA!.summary).toBe('RSS of orders-7d9f-a at 93% of its limit');
    // the diagnosis's severity wins; no real startsAt: the time it arrived
    expect(pricing!.cells.slice(3, 5)).toEqual(['go-gc-thrash', 'warning']);
    expect(pricing!.cells[6]).toBe('2026-11-23 12:00 UTC 2d 0h ago');
    expect(pricing!.summary).toBe('heap grows');
    expect(generic!.cells).toEqual([
      'RssHigh',
      'search',
      'search-2:9100',
      'pending',
      'info',
      'firing',
      '2026-11-25 11:59 UTC 40s ago',
    ]);
    expect(generic!.html).toContain('class="sev sev-info"');
    expect(evil!.cells[6]).toBe('2026-11-25 11:50 UTC 10m ago');
  });

  it('escapes every alert value in cells, attributes, the summary and the menus', async () => {
    const res = await app.inject('/');
    const body = res.body;
    expect(body).not.toContain('<script>alert(1)');
    expect(body).not.toMatch(/onmouseover="/);
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;amp;');
    // an unknown severity is shown grey, never turned into a class name
    expect(body).toMatch(/<span class="sev"\s*>critical&quot; onmouseover=&quot;alert\(1\)<\/span/);
    const [, evil] = await rows('/');
    // the summary is cut in the store (300 characters)
    expect(evil!.summary!.length).toBeLessThan(400);
    expect(body).toContain(`<option value="&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;amp;"`);
  });

  it('filters by alert, service, instance, cause, severity and status in the store, alone or together', async () => {
    const alerts = async (url: string) => (await rows(url)).map((r) => r.cells[2]);
    expect(await alerts('/?service=orders')).toEqual(['orders-7d9f-b', 'orders-7d9f-a']);
    expect(await alerts('/?cause=go-map-leak')).toEqual(['orders-7d9f-a']);
    expect(await alerts('/?severity=critical')).toEqual(['orders-7d9f-b', 'orders-7d9f-a']);
    expect(await alerts('/?severity=info')).toEqual(['search-2:9100']);
    expect(await alerts('/?service=orders&status=firing')).toEqual(['orders-7d9f-b']);
    expect(await alerts('/?service=orders&severity=critical&status=resolved&cause=go-map-leak')).toEqual([
      'orders-7d9f-a',
    ]);
    expect(await store.countIncidents({ severity: 'critical' })).toBe(2);
    expect(await alerts('/?instance=orders-7d9f-a')).toEqual(['orders-7d9f-a']);
    expect(await alerts('/?alert=MemoryHigh&instance=orders-7d9f-b')).toEqual(['orders-7d9f-b']);
    expect(await alerts('/?alert=GoHeapGrowing&instance=orders-7d9f-b')).toEqual([]);
    const menus = (await app.inject('/')).body;
    expect(menus).toContain('<option value="orders-7d9f-a"');
    expect(menus).toContain('<select name="alert">');
    for (const v of ['critical', 'warning', 'info']) expect(menus).toContain(`<option value="${v}"`);
  });

  it('a hostile filter value is a bound parameter, shown escaped, and matches nothing', async () => {
    const q = encodeURIComponent(`x' OR '1'='1`);
    const res = await app.inject(`/?service=${q}&severity=${encodeURIComponent(EVIL)}&page=2`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('No incidents match these filters');
    expect(res.body).toContain(`<option value="x&#39; OR &#39;1&#39;=&#39;1"  selected>`);
    expect(res.body).not.toContain('<script>alert(1)');
    expect((await app.inject(`/?status=${encodeURIComponent("firing' --")}`)).body).toContain(
      'No incidents match these filters',
    );
    // an array (?service=a&service=b) or an over-long value is ignored, not an error
    expect((await app.inject('/?service=orders&service=pricing')).statusCode).toBe(200);
    expect(await rows(`/?service=${'o'.repeat(300)}`)).toHaveLength(5);
  });

  it('the pager keeps the filters, URL-encoded and HTML-escaped', async () => {
    for (let i = 0; i < 30; i++) {
      await add(
        `bulk-${i}`,
        NOW - 3600_000 - i * 1000,
        am({ alertname: 'Bulk', service: 'a&b', severity: 'warning' }, {}, new Date(NOW).toISOString()),
      );
    }
    const body = (await app.inject('/?service=a%26b&severity=warning')).body;
    expect(body).toContain('page 1 of 2 · 30 incidents');
    expect(body).toContain('href="/?service=a%26b&amp;severity=warning&amp;page=2"');
  });

  it.each([
    ['list_severity', 'incidents_severity'],
    ['alert_name', 'incidents_alert'],
    ['instance', 'incidents_instance'],
  ])('the %s filter reads its index', (column, index) => {
    const db = new Database(join(dir, 'memtriage.db'), { readonly: true });
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM incidents WHERE ${column} = ? ORDER BY received_at DESC LIMIT 25`,
      )
      .all('x') as { detail: string }[];
    db.close();
    expect(plan.map((p) => p.detail).join('\n')).toContain(index);
  });

  it('ages and times read at a glance, with the zone', () => {
    expect(age(45_000)).toBe('45s');
    expect(age(12 * 60_000 + 59_000)).toBe('12m');
    expect(age(3 * 3600_000 + 5 * 60_000)).toBe('3h 5m');
    expect(age(50 * 3600_000)).toBe('2d 2h');
    expect(age(-5000)).toBe('0s');
    expect(utcMinutes(Date.UTC(2026, 0, 2, 3, 4, 59))).toBe('2026-01-02 03:04 UTC');
  });
});
