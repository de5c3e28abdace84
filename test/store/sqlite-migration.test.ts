import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCHEMA_V1, SCHEMA_VERSION } from '../../engine/store/sqlite-schema.js';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';

describe('sqlite store migrations', () => {
  it('a v1 file gains the list columns and the replay table, computed for the rows it holds', () => {
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
      expect(store.listIncidentSummaries({ cause: 'go-map-leak' }, 10, 0)).toEqual([
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
      expect(store.rememberSignature('s', 10, 1)).toBe(true);
      store.close();
      const again = new Database(join(dir, 'memtriage.db'));
      expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
