import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_V1, SCHEMA_VERSION } from '../../engine/store/sqlite-schema.js';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import type { Store } from '../../engine/store/types.js';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mt-store-'));
  store = openSqliteStore(dir);
});
afterEach(() => {
  store.close();
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

describe('sqlite store: incidents and dedup', () => {
  it('creates one incident per dedup key; repeats only count', () => {
    const a = store.recordAlert(alert('firing'));
    const b = store.recordAlert(alert('firing'));
    expect(a.outcome).toBe('new');
    expect(b.outcome).toBe('repeat');
    expect(b.incident.id).toBe(a.incident.id);
    expect(b.incident.repeats).toBe(1);
    expect(store.listIncidents(10)).toHaveLength(1);
  });

  it('a resolve closes the firing incident once; a second resolve is a repeat', () => {
    const a = store.recordAlert(alert('firing'));
    const r = store.recordAlert(alert('resolved'));
    expect(r.outcome).toBe('resolved');
    expect(r.incident.id).toBe(a.incident.id);
    expect(r.incident.status).toBe('resolved');
    expect(store.recordAlert(alert('resolved')).outcome).toBe('repeat');
  });

  it('a resolve with another alert set closes the open incident of the same group', () => {
    const a = store.recordAlert(alert('firing', 'k1', 'grp'));
    const r = store.recordAlert(alert('resolved', 'k2', 'grp'));
    expect(r.outcome).toBe('resolved');
    expect(r.incident.id).toBe(a.incident.id);
  });

  it('a group resolve closes every open incident of the group (an alert joined the group later)', () => {
    const first = store.recordAlert(alert('firing', 'k1', 'grp'));
    const second = store.recordAlert(alert('firing', 'k2', 'grp'));
    const other = store.recordAlert(alert('firing', 'k3', 'other-group'));
    const r = store.recordAlert({ ...alert('resolved', 'k2', 'grp'), resolvesGroup: true });
    expect(r.outcome).toBe('resolved');
    expect(r.incident.id).toBe(second.incident.id);
    expect(r.alsoResolved?.map((i) => i.id)).toEqual([first.incident.id]);
    expect(store.getIncident(first.incident.id)?.status).toBe('resolved');
    expect(store.getIncident(other.incident.id)?.status).toBe('firing');
  });

  it('a resolve never seen firing is kept as resolved-unknown', () => {
    const r = store.recordAlert(alert('resolved', 'kx', 'gx'));
    expect(r.outcome).toBe('resolved-unknown');
    expect(r.incident.status).toBe('resolved');
  });

  it('dedup state survives closing and reopening the file', () => {
    const a = store.recordAlert(alert('firing'));
    store.close();
    store = openSqliteStore(dir);
    const b = store.recordAlert(alert('firing'));
    expect(b.outcome).toBe('repeat');
    expect(b.incident.id).toBe(a.incident.id);
  });

  it('tracks stages and keeps the diagnosis as JSON', () => {
    const { incident } = store.recordAlert(alert('firing'));
    expect(store.unfinishedIncidents().map((i) => i.id)).toEqual([incident.id]);
    store.updateIncident(incident.id, { stage: 'diagnosed', bundleDir: '/b' }, 2000);
    expect(store.getIncident(incident.id)).toMatchObject({
      stage: 'diagnosed',
      bundleDir: '/b',
      updatedAt: 2000,
    });
    store.enqueueDeliveries(incident.id, [], 3000);
    expect(store.getIncident(incident.id)?.stage).toBe('queued');
    expect(store.unfinishedIncidents()).toHaveLength(0);
  });
});

describe('sqlite store: incidents behind their status (issue 16)', () => {
  it('finds a resolved incident whose resolve was never queued, however many newer incidents there are', () => {
    const mk = (key: string, now: number) =>
      store.recordAlert({ ...alert('firing', key, `g-${key}`), now }).incident;
    const a = mk('A', 1);
    store.enqueueDeliveries(
      a.id,
      [{ incidentId: a.id, channel: 'c', kind: 'open', payload: 1 }],
      1,
      'firing',
    );
    for (let i = 0; i < 1300; i++) {
      const o = mk(`o${i}`, 10 + i);
      store.enqueueDeliveries(o.id, [], 10 + i, 'firing');
    }
    expect(store.unfinishedIncidents()).toHaveLength(0);
    // the resolve is on disk (answered 202) and the process dies before queueing its steps
    expect(store.recordAlert({ ...alert('resolved', 'A', 'g-A'), now: 5000 }).outcome).toBe('resolved');
    expect(store.unfinishedIncidents().map((i) => i.id)).toEqual([a.id]);
    expect(store.getIncident(a.id)).toMatchObject({
      stage: 'queued',
      status: 'resolved',
      queuedStatus: 'firing',
    });
    // queueing for the resolved status catches it up
    store.enqueueDeliveries(a.id, [], 5001, 'resolved');
    expect(store.unfinishedIncidents()).toHaveLength(0);
    expect(store.getIncident(a.id)?.queuedStatus).toBe('resolved');
  });

  it('migrates a v1 file: behind-incidents backfilled, retry budget column added', () => {
    store.close();
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
    expect(store.unfinishedIncidents().map((i) => i.id)).toEqual(['behind']);
    expect(store.getIncident('done')?.queuedStatus).toBe('resolved');
    expect(store.getIncident('firing')?.queuedStatus).toBe('firing');
    const resolveStep = store.deliveriesFor('done').find((d) => d.kind === 'resolve');
    // its time budget starts at its next failure, not at its (old) creation
    expect(resolveStep).toMatchObject({ attempts: 2, state: 'pending' });
    expect(resolveStep?.failingSince).toBeUndefined();
    store.close();
    const raw = new Database(join(dir, 'memtriage.db'));
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
    store = openSqliteStore(dir);
  });
});

describe('sqlite store: outbox', () => {
  it('enqueue is idempotent per incident, channel and kind', () => {
    const { incident } = store.recordAlert(alert('firing'));
    const item = { incidentId: incident.id, channel: 'slack', kind: 'open' as const, payload: { text: 'x' } };
    store.enqueueDeliveries(incident.id, [item], 1);
    store.enqueueDeliveries(incident.id, [item, { ...item, kind: 'resolve' }], 2);
    expect(store.deliveriesFor(incident.id).map((d) => d.kind)).toEqual(['open', 'resolve']);
  });

  it('claims due rows with a lease, counts the attempt, and does not hand them out twice', () => {
    const { incident } = store.recordAlert(alert('firing'));
    store.enqueueDeliveries(
      incident.id,
      [{ incidentId: incident.id, channel: 'c', kind: 'open', payload: 1 }],
      0,
    );
    const [d] = store.claimDeliveries(10, 5, 1000);
    expect(d).toMatchObject({ state: 'sending', attempts: 1, leaseUntil: 1010 });
    expect(store.claimDeliveries(20, 5, 1000)).toHaveLength(0);
    // lease expired: a crashed worker's row comes back
    expect(store.claimDeliveries(2000, 5, 1000)[0]?.attempts).toBe(2);
  });

  it('records delivery with its thread atomically; retry, dead and manual retry', () => {
    const { incident } = store.recordAlert(alert('firing'));
    const mk = (channel: string) => ({
      incidentId: incident.id,
      channel,
      kind: 'open' as const,
      payload: {},
    });
    store.enqueueDeliveries(incident.id, [mk('a'), mk('b')], 0);
    const [a, b] = store.claimDeliveries(1, 5, 1000);
    store.markDelivered(a!.id, 5, { ts: '1.2', channel: 'C1' });
    expect(store.getThread(incident.id, 'a')).toEqual({ ts: '1.2', channel: 'C1' });
    store.markRetry(b!.id, 100, 'HTTP 500', 'serverError');
    expect(store.getDelivery(b!.id)).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: 100 });
    expect(store.claimDeliveries(50, 5, 1000)).toHaveLength(0);
    const [b2] = store.claimDeliveries(100, 5, 1000);
    store.markRetry(b2!.id, 200, 'waiting', 'deferred', false);
    expect(store.getDelivery(b!.id)?.attempts).toBe(1);
    store.markDead(b!.id, 'HTTP 400', 'clientError');
    expect(store.countByState()).toEqual({ pending: 0, sending: 0, delivered: 1, dead: 1 });
    expect(store.listDeliveries({ state: 'dead' })[0]).toMatchObject({ lastReason: 'clientError' });
    expect(store.retryDeliveries()).toBe(1);
    expect(store.getDelivery(b!.id)).toMatchObject({ state: 'pending', attempts: 0 });
  });

  it('releaseInFlight puts rows a dead process left in sending back to pending', () => {
    const { incident } = store.recordAlert(alert('firing'));
    store.enqueueDeliveries(
      incident.id,
      [{ incidentId: incident.id, channel: 'c', kind: 'open', payload: 1 }],
      0,
    );
    store.claimDeliveries(1, 5, 60_000);
    store.close();
    store = openSqliteStore(dir);
    expect(store.releaseInFlight()).toBe(1);
    expect(store.claimDeliveries(2, 5, 1000)).toHaveLength(1);
  });

  it('answers ping while open', () => {
    expect(store.ping()).toBe(true);
  });
});
