import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_V1, SCHEMA_VERSION } from '../../engine/store/sqlite-schema.js';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';

describe('sqlite store migrations', () => {
  it('a v1 file gains the list columns and the replay table, computed for the rows it holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-migrate-'));
    try {
      const db = new Database(join(dir, 'memtriage.db'));
      db.exec(SCHEMA_V1);
      db.pragma('user_version = 1');
      db.prepare(
        `INSERT INTO incidents (id, dedup_key, source, group_key, status, stage, payload, received_at, updated_at, diagnosis)
         VALUES ('i1', 'k1', 'alertmanager', 'g', 'firing', 'queued', ?, 5, 5, ?)`,
      ).run(
        JSON.stringify({ commonLabels: { job: 'orders' } }),
        JSON.stringify({ causes: [{ ruleId: 'go-map-leak', severity: 'critical' }], incident: {} }),
      );
      db.close();
      const store = openSqliteStore(dir);
      expect(await store.listIncidentSummaries({ cause: 'go-map-leak' }, 10, 0)).toEqual([
        {
          id: 'i1',
          receivedAt: 5,
          status: 'firing',
          stage: 'queued',
          service: 'orders',
          topCause: 'go-map-leak',
          severity: 'critical',
        },
      ]);
      expect(SCHEMA_VERSION).toBe(5);
      expect(await store.rememberSignature('s', 10, 1)).toBe(true);
      await store.close();
      const again = new Database(join(dir, 'memtriage.db'));
      expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a v3 file gains the v4 list columns (alert name, instance, summary, start, severity), computed for its rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-migrate-v3-'));
    try {
      const db = new Database(join(dir, 'memtriage.db'));
      for (const m of MIGRATIONS.filter((x) => x.version <= 3)) db.exec(m.sql);
      db.pragma('user_version = 3');
      const ins = db.prepare(
        `INSERT INTO incidents (id, dedup_key, source, group_key, status, stage, payload, received_at, updated_at, diagnosis)
         VALUES (?, ?, ?, 'g', 'firing', 'queued', ?, 5, 5, ?)`,
      );
      ins.run(
        'am',
        'k1',
        'alertmanager',
        JSON.stringify({
          commonLabels: { alertname: 'MemoryHigh', service: 'orders', severity: 'Critical' },
          alerts: [
            {
              labels: { instance: '10.0.4.17:6060', pod: 'orders-7d9f' },
              annotations: { summary: 'RSS at 93% of the limit' },
              startsAt: '2026-11-25T10:00:00Z',
            },
          ],
        }),
        JSON.stringify({ outcome: 'inconclusive', causes: [], incident: {} }),
      );
      ins.run(
        'gen',
        'k2',
        'generic',
        JSON.stringify({
          alert: {
            name: 'RssHigh',
            labels: { instance: 'db-1:9100' },
            annotations: { description: 'grows' },
          },
        }),
        null,
      );
      db.close();
      const store = openSqliteStore(dir);
      expect(await store.listIncidentSummaries({}, 10, 0)).toEqual([
        expect.objectContaining({
          id: 'gen',
          alertName: 'RssHigh',
          instance: 'db-1:9100',
          summary: 'grows',
        }),
        expect.objectContaining({
          id: 'am',
          alertName: 'MemoryHigh',
          instance: 'orders-7d9f',
          summary: 'RSS at 93% of the limit',
          alertStartsAt: '2026-11-25T10:00:00Z',
          topCause: 'inconclusive',
          // no cause: the alert's own severity, lower-cased
          severity: 'critical',
        }),
      ]);
      expect(await store.countIncidents({ severity: 'critical' })).toBe(1);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
