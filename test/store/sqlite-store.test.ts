import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_V1, SCHEMA_VERSION } from '../../engine/store/sqlite-schema.js';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import type { Store } from '../../engine/store/types.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('sqlite', {
  schemaVersion: SCHEMA_VERSION,
  sharedBundles: false,
  async target() {
    const dir = mkdtempSync(join(tmpdir(), 'mt-store-'));
    const file = join(dir, 'memtriage.db');
    return {
      open: async () => openSqliteStore(dir),
      async setNewerSchema() {
        const db = new Database(file);
        db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
        db.close();
      },
      async schemaVersion() {
        const db = new Database(file, { readonly: true });
        try {
          return db.pragma('user_version', { simple: true }) as number;
        } finally {
          db.close();
        }
      },
      async cleanup() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mt-store-'));
  store = openSqliteStore(dir);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const alert = (status: 'firing' | 'resolved', key = 'k1', groupKey = 'g1') => ({
  dedupKey: key,
  source: 'alertmanager' as const,
  groupKey,
  status,
  payload: { status },
  now: 1000,
});

describe('sqlite store: the file', () => {
  it('migrates a v1 file: behind-incidents backfilled, retry budget column added', async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'mt-store-v1-'));
    const db = new Database(join(dir, 'memtriage.db'));
    db.exec(SCHEMA_V1);
    db.pragma('user_version = 1');
    const ins = db.prepare(
      `INSERT INTO incidents (id, dedup_key, source, group_key, status, stage, payload, received_at, updated_at)
       VALUES (?, ?, 'alertmanager', 'g', ?, 'queued', '{}', 1, 1)`,
    );
    const out = db.prepare(
      `INSERT INTO outbox (incident_id, channel, kind, payload, state, attempts, next_attempt_at, created_at)
       VALUES (?, 'c', ?, '{}', ?, ?, 1, 1)`,
    );
    ins.run('behind', 'k1', 'resolved');
    out.run('behind', 'open', 'delivered', 1);
    ins.run('done', 'k2', 'resolved');
    out.run('done', 'open', 'delivered', 1);
    out.run('done', 'resolve', 'pending', 2);
    ins.run('firing', 'k3', 'firing');
    out.run('firing', 'open', 'pending', 0);
    ins.run('nothing-routed', 'k4', 'resolved');
    db.close();
    store = openSqliteStore(dir);
    expect((await store.unfinishedIncidents()).map((i) => i.id)).toEqual(['behind']);
    expect((await store.getIncident('done'))?.queuedStatus).toBe('resolved');
    expect((await store.getIncident('firing'))?.queuedStatus).toBe('firing');
    const resolveStep = (await store.deliveriesFor('done')).find((d) => d.kind === 'resolve');
    // its time budget starts at its next failure, not at its (old) creation
    expect(resolveStep).toMatchObject({ attempts: 2, state: 'pending' });
    expect(resolveStep?.failingSince).toBeUndefined();
    await store.close();
    const raw = new Database(join(dir, 'memtriage.db'));
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
    store = openSqliteStore(dir);
  });

  it('releaseInFlight puts rows a dead process left in sending back to pending (single writer)', async () => {
    const { incident } = await store.recordAlert(alert('firing'));
    await store.enqueueDeliveries(
      incident.id,
      [{ incidentId: incident.id, channel: 'c', kind: 'open', payload: 1 }],
      0,
    );
    await store.claimDeliveries(1, 5, 60_000);
    await store.close();
    store = openSqliteStore(dir);
    expect(await store.releaseInFlight()).toBe(1);
    expect(await store.claimDeliveries(2, 5, 1000)).toHaveLength(1);
  });
});
