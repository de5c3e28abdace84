import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerWebRoutes } from '../../../engine/server/web/register-web-routes.js';
import { openSqliteStore } from '../../../engine/store/sqlite-store.js';
import type { Store } from '../../../engine/store/types.js';

let dir: string;
let store: Store;
const app = Fastify();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mt-webpage-'));
  store = openSqliteStore(dir);
  await store.recordAlerts(
    Array.from({ length: 2000 }, (_, i) => ({
      dedupKey: `k${i}`,
      source: 'alertmanager' as const,
      groupKey: `g${i}`,
      status: i % 4 === 0 ? ('resolved' as const) : ('firing' as const),
      payload: { commonLabels: { service: `svc-${i % 3}` }, big: 'x'.repeat(2000) },
      now: 1_700_000_000_000 + i * 1000,
    })),
  );
  registerWebRoutes(app, { store, auth: { bearerTokens: [], basic: [] }, rules: () => [] });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('incident list pages come from the store', () => {
  it('a page reads its 25 rows, never the stored incidents JSON', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    const res = await app.inject('/?page=3');
    const calls = parse.mock.calls.length;
    parse.mockRestore();
    expect(res.statusCode).toBe(200);
    expect(calls).toBe(0);
    expect(res.body).toContain('page 3 of 80 · 2000 incidents');
    const rows = res.body.slice(res.body.indexOf('<tbody>'), res.body.indexOf('</tbody>'));
    expect(rows.match(/<tr class="incident">/g)).toHaveLength(25);
    // newest first: page 3 starts at the 51st newest
    expect(rows).toContain(`datetime="${new Date(1_700_000_000_000 + 1949 * 1000).toISOString()}"`);
  });

  it('filters and counts in the store; the menus list the distinct values', async () => {
    const res = await app.inject('/?service=svc-1&status=resolved');
    // i % 3 === 1 and i % 4 === 0 → i ≡ 4 (mod 12): 167 of 2000
    expect(res.body).toContain('167 incidents');
    expect(res.body).toContain('<option value="svc-2"');
    expect((await app.inject('/?page=999')).body).toContain('page 80 of 80');
  });
});
