import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStorageError } from '../../engine/store/storage-error.js';
import type { AlertInput, NewDelivery, Store } from '../../engine/store/types.js';

/**
 * What every Store implementation must do, run against each of them (sqlite-store.test.ts,
 * pg-store.test.ts). A target is one empty database; `open` gives another store instance on the
 * same data (a second replica, or the same process after a restart).
 */
export interface StoreTarget {
  open(): Promise<Store>;
  /** Marks the database as written by a newer memtriage (schema version above what the store knows). */
  setNewerSchema(): Promise<void>;
  /** The schema version the database records. */
  schemaVersion(): Promise<number>;
  cleanup(): Promise<void>;
}

export interface StoreContract {
  /** A fresh, empty target (no store opened on it yet). */
  target(): Promise<StoreTarget>;
  /** The schema version the store writes. */
  schemaVersion: number;
  /** Whether bundles live in the store (PostgreSQL) or on local disk (SQLite). */
  sharedBundles: boolean;
}

const alert = (status: 'firing' | 'resolved', key = 'k1', groupKey = 'g1'): AlertInput => ({
  dedupKey: key,
  source: 'alertmanager',
  groupKey,
  status,
  payload: { status },
  now: 1000,
});

export function describeStoreContract(name: string, c: StoreContract): void {
  let target: StoreTarget;
  let store: Store;
  let opened: Store[] = [];
  const open = async (t = target): Promise<Store> => {
    const s = await t.open();
    opened.push(s);
    return s;
  };
  const extraTargets: StoreTarget[] = [];
  const freshTarget = async () => {
    const t = await c.target();
    extraTargets.push(t);
    return t;
  };

  beforeEach(async () => {
    target = await c.target();
    store = await open();
  });
  afterEach(async () => {
    for (const s of opened) await s.close().catch(() => undefined);
    opened = [];
    for (const t of extraTargets.splice(0)) await t.cleanup();
    await target.cleanup();
  });

  const queueOne = async (s: Store, incidentId: string, channel = 'c', now = 0) =>
    s.enqueueDeliveries(incidentId, [{ incidentId, channel, kind: 'open', payload: 1 }], now);

  describe(`${name} store contract: incidents and dedup`, () => {
    it('creates one incident per dedup key; repeats only count', async () => {
      const a = await store.recordAlert(alert('firing'));
      const b = await store.recordAlert(alert('firing'));
      expect(a.outcome).toBe('new');
      expect(b.outcome).toBe('repeat');
      expect(b.incident.id).toBe(a.incident.id);
      expect(b.incident.repeats).toBe(1);
      expect(await store.listIncidents(10)).toHaveLength(1);
    });

    it('a resolve closes the firing incident once; a second resolve is a repeat', async () => {
      const a = await store.recordAlert(alert('firing'));
      const r = await store.recordAlert(alert('resolved'));
      expect(r.outcome).toBe('resolved');
      expect(r.incident.id).toBe(a.incident.id);
      expect(r.incident.status).toBe('resolved');
      expect(r.incident.resolvedAt).toBe(1000);
      expect(r.incident.payload).toEqual({ status: 'resolved' });
      expect((await store.recordAlert(alert('resolved'))).outcome).toBe('repeat');
    });

    it('a resolve with another alert set closes the open incident of the same group', async () => {
      const a = await store.recordAlert(alert('firing', 'k1', 'grp'));
      const r = await store.recordAlert(alert('resolved', 'k2', 'grp'));
      expect(r.outcome).toBe('resolved');
      expect(r.incident.id).toBe(a.incident.id);
    });

    it('an exact-key resolve never closes another alert of the group', async () => {
      const a = await store.recordAlert(alert('firing', 'k1', 'grp'));
      const r = await store.recordAlert({ ...alert('resolved', 'k2', 'grp'), exactKey: true });
      expect(r.outcome).toBe('resolved-unknown');
      expect(r.incident.id).not.toBe(a.incident.id);
      expect((await store.getIncident(a.incident.id))?.status).toBe('firing');
    });

    it('a group resolve closes every open incident of the group (an alert joined the group later)', async () => {
      const first = await store.recordAlert(alert('firing', 'k1', 'grp'));
      const second = await store.recordAlert(alert('firing', 'k2', 'grp'));
      const other = await store.recordAlert(alert('firing', 'k3', 'other-group'));
      const r = await store.recordAlert({ ...alert('resolved', 'k2', 'grp'), resolvesGroup: true });
      expect(r.outcome).toBe('resolved');
      expect(r.incident.id).toBe(second.incident.id);
      expect(r.alsoResolved?.map((i) => i.id)).toEqual([first.incident.id]);
      expect(r.alsoResolved?.[0]?.status).toBe('resolved');
      expect((await store.getIncident(first.incident.id))?.status).toBe('resolved');
      expect((await store.getIncident(other.incident.id))?.status).toBe('firing');
    });

    it('a resolve never seen firing is kept as resolved-unknown; the firing after it is a repeat', async () => {
      const r = await store.recordAlert(alert('resolved', 'kx', 'gx'));
      expect(r.outcome).toBe('resolved-unknown');
      expect(r.incident.status).toBe('resolved');
      expect((await store.recordAlert(alert('firing', 'kx', 'gx'))).outcome).toBe('repeat');
    });

    it('recordAlerts records a batch in order, and is all or nothing', async () => {
      const rs = await store.recordAlerts([
        alert('firing', 'b1'),
        alert('firing', 'b2'),
        alert('firing', 'b1'),
      ]);
      expect(rs.map((r) => r.outcome)).toEqual(['new', 'new', 'repeat']);
      expect(await store.recordAlerts([])).toEqual([]);
      // the second notification cannot be stored (its payload is no JSON value): neither is
      const bad = { ...alert('firing', 'b3'), payload: undefined };
      await expect(store.recordAlerts([alert('firing', 'b4'), bad])).rejects.toThrow();
      expect((await store.listIncidents(10)).map((i) => i.dedupKey).sort()).toEqual(['b1', 'b2']);
    });

    it('dedup state survives closing and reopening the store', async () => {
      const a = await store.recordAlert(alert('firing'));
      await store.close();
      store = await open();
      const b = await store.recordAlert(alert('firing'));
      expect(b.outcome).toBe('repeat');
      expect(b.incident.id).toBe(a.incident.id);
    });

    it('tracks stages and keeps the payload and diagnosis as the same JSON', async () => {
      const payload = { z: 1, a: [1, 'two', { nested: null }], unicode: 'héllo ✓', big: 2 ** 40 };
      const { incident } = await store.recordAlert({ ...alert('firing'), payload });
      expect(incident.payload).toEqual(payload);
      expect(JSON.stringify(incident.payload)).toBe(JSON.stringify(payload));
      expect((await store.unfinishedIncidents()).map((i) => i.id)).toEqual([incident.id]);
      await store.updateIncident(incident.id, { stage: 'diagnosed', bundleDir: '/b' }, 2000);
      expect(await store.getIncident(incident.id)).toMatchObject({
        stage: 'diagnosed',
        bundleDir: '/b',
        updatedAt: 2000,
        receivedAt: 1000,
      });
      const diagnosis = { outcome: 'diagnosed', causes: [{ ruleId: 'r1', severity: 'high' }], incident: {} };
      await store.updateIncident(incident.id, { diagnosis: diagnosis as never, error: 'boom' }, 2500);
      const got = await store.getIncident(incident.id);
      expect(got?.diagnosis).toEqual(diagnosis);
      expect(got?.error).toBe('boom');
      expect(typeof got?.receivedAt).toBe('number');
      await store.enqueueDeliveries(incident.id, [], 3000);
      expect((await store.getIncident(incident.id))?.stage).toBe('queued');
      expect((await store.getIncident(incident.id))?.queuedStatus).toBe('firing');
      expect(await store.unfinishedIncidents()).toHaveLength(0);
      expect(await store.getIncident('nope')).toBeUndefined();
    });

    it('stores any JSON a webhook may send: NUL characters, lone surrogates, escaped backslashes', async () => {
      const payload = {
        alert: { name: 'a\u0000b', labels: { instance: 'x\ud800y', job: '\\u0000 not a NUL' } },
        'k\u0000': ['\udc00', '\ud83d\ude00', '\\', '\\ud800'],
      };
      const { incident } = await store.recordAlert({ ...alert('firing', 'odd'), source: 'generic', payload });
      const back = (await store.getIncident(incident.id))?.payload;
      expect(back).toEqual(payload);
      expect(JSON.stringify(back)).toBe(JSON.stringify(payload));
      const [summary] = await store.listIncidentSummaries({}, 1, 0);
      expect(summary?.alertName?.startsWith('a')).toBe(true);
      expect(summary?.service).toBe('\\u0000 not a NUL');
      const item: NewDelivery = { incidentId: incident.id, channel: 'c', kind: 'open', payload };
      await store.enqueueDeliveries(incident.id, [item], 1);
      expect((await store.deliveriesFor(incident.id))[0]?.payload).toEqual(payload);
      await store.updateIncident(incident.id, { diagnosis: { outcome: 'x\u0000', causes: [] } as never }, 2);
      expect((await store.getIncident(incident.id))?.diagnosis).toEqual({ outcome: 'x\u0000', causes: [] });
    });

    it('lists incidents newest first and by group', async () => {
      await store.recordAlert({ ...alert('firing', 'a', 'g'), now: 1 });
      await store.recordAlert({ ...alert('firing', 'b', 'g'), now: 2 });
      await store.recordAlert({ ...alert('firing', 'c', 'h'), now: 3 });
      expect((await store.listIncidents(2)).map((i) => i.dedupKey)).toEqual(['c', 'b']);
      expect((await store.incidentsInGroup('g', 10)).map((i) => i.dedupKey)).toEqual(['b', 'a']);
    });

    it('finds a resolved incident whose resolve was never queued, however many newer incidents there are', async () => {
      const mk = async (key: string, now: number) =>
        (await store.recordAlert({ ...alert('firing', key, `g-${key}`), now })).incident;
      const a = await mk('A', 1);
      await store.enqueueDeliveries(
        a.id,
        [{ incidentId: a.id, channel: 'c', kind: 'open', payload: 1 }],
        1,
        'firing',
      );
      for (let i = 0; i < 1300; i++) {
        const o = await mk(`o${i}`, 10 + i);
        await store.enqueueDeliveries(o.id, [], 10 + i, 'firing');
      }
      expect(await store.unfinishedIncidents()).toHaveLength(0);
      // the resolve is stored (answered 202) and the process dies before queueing its steps
      expect((await store.recordAlert({ ...alert('resolved', 'A', 'g-A'), now: 5000 })).outcome).toBe(
        'resolved',
      );
      expect((await store.unfinishedIncidents()).map((i) => i.id)).toEqual([a.id]);
      expect(await store.getIncident(a.id)).toMatchObject({
        stage: 'queued',
        status: 'resolved',
        queuedStatus: 'firing',
      });
      // queueing for the resolved status catches it up
      await store.enqueueDeliveries(a.id, [], 5001, 'resolved');
      expect(await store.unfinishedIncidents()).toHaveLength(0);
      expect((await store.getIncident(a.id))?.queuedStatus).toBe('resolved');
    });
  });

  describe(`${name} store contract: list columns`, () => {
    it('derives the list columns on write and filters, counts and pages by them', async () => {
      const am = await store.recordAlert({
        ...alert('firing', 'am', 'g'),
        now: 5,
        payload: {
          commonLabels: { alertname: 'MemoryHigh', service: 'orders', severity: 'Critical' },
          alerts: [
            {
              labels: { instance: '10.0.4.17:6060', pod: 'orders-7d9f' },
              annotations: { summary: 'RSS at 93% of the limit' },
              startsAt: '2026-11-25T10:00:00Z',
            },
          ],
        },
      });
      await store.updateIncident(
        am.incident.id,
        { diagnosis: { outcome: 'inconclusive', causes: [], incident: {} } as never },
        6,
      );
      const gen = await store.recordAlert({
        ...alert('firing', 'gen', 'h'),
        source: 'generic',
        now: 7,
        payload: {
          alert: {
            name: 'RssHigh',
            labels: { instance: 'db-1:9100', job: 'db' },
            annotations: { description: 'x'.repeat(400) },
          },
        },
      });
      const leak = await store.recordAlert({
        ...alert('firing', 'leak', 'i'),
        now: 9,
        payload: { commonLabels: { job: 'orders' } },
      });
      await store.updateIncident(
        leak.incident.id,
        {
          diagnosis: {
            causes: [{ ruleId: 'go-map-leak', severity: 'critical' }],
            incident: { service: 'cart' },
          } as never,
        },
        10,
      );
      const all = await store.listIncidentSummaries({}, 10, 0);
      expect(all.map((s) => s.id)).toEqual([leak.incident.id, gen.incident.id, am.incident.id]);
      expect(all[2]).toEqual({
        id: am.incident.id,
        receivedAt: 5,
        status: 'firing',
        stage: 'received',
        service: 'orders',
        topCause: 'inconclusive',
        severity: 'critical',
        alertName: 'MemoryHigh',
        instance: 'orders-7d9f',
        summary: 'RSS at 93% of the limit',
        alertStartsAt: '2026-11-25T10:00:00Z',
      });
      expect(all[1]).toMatchObject({ service: 'db', alertName: 'RssHigh', instance: 'db-1:9100' });
      expect(all[1]?.summary).toBe('x'.repeat(300));
      expect(all[0]).toMatchObject({ service: 'cart', topCause: 'go-map-leak', severity: 'critical' });
      expect(await store.listIncidentSummaries({}, 1, 1)).toEqual([all[1]]);
      expect((await store.listIncidentSummaries({ severity: 'critical' }, 10, 0)).map((s) => s.id)).toEqual([
        leak.incident.id,
        am.incident.id,
      ]);
      expect(await store.countIncidents({ severity: 'critical' })).toBe(2);
      expect(await store.countIncidents({ cause: 'go-map-leak', service: 'cart' })).toBe(1);
      expect(await store.countIncidents({ status: 'resolved' })).toBe(0);
      expect(await store.countIncidents({})).toBe(3);
      expect(await store.distinctIncidentValues('service', 10)).toEqual(['cart', 'db', 'orders']);
      expect(await store.distinctIncidentValues('cause', 10)).toEqual(['go-map-leak', 'inconclusive']);
      expect(await store.distinctIncidentValues('severity', 1)).toEqual(['critical']);
      expect(await store.distinctIncidentValues('alert', 10)).toEqual(['MemoryHigh', 'RssHigh']);
      expect(await store.distinctIncidentValues('instance', 10)).toEqual(['db-1:9100', 'orders-7d9f']);
      expect((await store.listIncidentSummaries({ alert: 'RssHigh' }, 10, 0)).map((s) => s.id)).toEqual([
        gen.incident.id,
      ]);
      expect(await store.countIncidents({ instance: 'orders-7d9f' })).toBe(1);
      expect(await store.countIncidents({ instance: 'orders-7d9f', alert: 'RssHigh' })).toBe(0);
    });

    it('lastFiredByRule: top causes and the other causes of recent incidents', async () => {
      const a = await store.recordAlert({ ...alert('firing', 'a'), now: 10 });
      const b = await store.recordAlert({ ...alert('firing', 'b'), now: 20 });
      await store.updateIncident(
        a.incident.id,
        { diagnosis: { causes: [{ ruleId: 'r1' }, { ruleId: 'r2' }], incident: {} } as never },
        11,
      );
      await store.updateIncident(
        b.incident.id,
        { diagnosis: { causes: [{ ruleId: 'r2' }], incident: {} } as never },
        21,
      );
      expect(Object.fromEntries(await store.lastFiredByRule())).toEqual({ r1: 10, r2: 20 });
    });
  });

  describe(`${name} store contract: outbox`, () => {
    it('enqueue is idempotent per incident, channel and kind', async () => {
      const { incident } = await store.recordAlert(alert('firing'));
      const item: NewDelivery = {
        incidentId: incident.id,
        channel: 'slack',
        kind: 'open',
        payload: { text: 'x' },
      };
      await store.enqueueDeliveries(incident.id, [item], 1);
      await store.enqueueDeliveries(incident.id, [item, { ...item, kind: 'resolve' }], 2);
      const ds = await store.deliveriesFor(incident.id);
      expect(ds.map((d) => d.kind)).toEqual(['open', 'resolve']);
      expect(ds[0]).toMatchObject({ payload: { text: 'x' }, state: 'pending', attempts: 0, createdAt: 1 });
    });

    it('claims due rows with a lease, counts the attempt, and does not hand them out twice', async () => {
      const { incident } = await store.recordAlert(alert('firing'));
      await queueOne(store, incident.id);
      const [d] = await store.claimDeliveries(10, 5, 1000);
      expect(d).toMatchObject({ state: 'sending', attempts: 1, leaseUntil: 1010 });
      expect(await store.claimDeliveries(20, 5, 1000)).toHaveLength(0);
      // lease expired: a crashed worker's row comes back
      expect((await store.claimDeliveries(2000, 5, 1000))[0]?.attempts).toBe(2);
    });

    it('lease expiry: another instance claims a row only once its lease has expired', async () => {
      const { incident } = await store.recordAlert(alert('firing'));
      await queueOne(store, incident.id);
      const other = await open();
      const [d] = await store.claimDeliveries(10, 5, 1000);
      expect(d?.leaseUntil).toBe(1010);
      expect(await other.claimDeliveries(1009, 5, 1000)).toHaveLength(0);
      const again = await other.claimDeliveries(1010, 5, 500);
      expect(again).toEqual([
        expect.objectContaining({ id: d?.id, attempts: 2, leaseUntil: 1510, state: 'sending' }),
      ]);
      expect(await store.claimDeliveries(1100, 5, 1000)).toHaveLength(0);
    });

    it('records delivery with its thread atomically; retry, dead and manual retry', async () => {
      const { incident } = await store.recordAlert(alert('firing'));
      const mk = (channel: string): NewDelivery => ({
        incidentId: incident.id,
        channel,
        kind: 'open',
        payload: {},
      });
      await store.enqueueDeliveries(incident.id, [mk('a'), mk('b')], 0);
      const [a, b] = await store.claimDeliveries(1, 5, 1000);
      await store.markDelivered(a!.id, 5, { ts: '1.2', channel: 'C1' });
      expect(await store.getThread(incident.id, 'a')).toEqual({ ts: '1.2', channel: 'C1' });
      expect(await store.getThread(incident.id, 'b')).toBeUndefined();
      expect(await store.getDelivery(a!.id)).toMatchObject({ state: 'delivered', deliveredAt: 5 });
      expect((await store.getDelivery(a!.id))?.leaseUntil).toBeUndefined();
      await store.markRetry(b!.id, 100, 'HTTP 500', 'serverError', true, 42);
      expect(await store.getDelivery(b!.id)).toMatchObject({
        state: 'pending',
        attempts: 1,
        nextAttemptAt: 100,
        failingSince: 42,
        lastError: 'HTTP 500',
      });
      expect(await store.claimDeliveries(50, 5, 1000)).toHaveLength(0);
      const [b2] = await store.claimDeliveries(100, 5, 1000);
      await store.markRetry(b2!.id, 200, 'waiting', 'deferred', false, 99);
      expect(await store.getDelivery(b!.id)).toMatchObject({ attempts: 1, failingSince: 42 });
      await store.markDead(b!.id, 'HTTP 400', 'clientError');
      expect(await store.countByState()).toEqual({ pending: 0, sending: 0, delivered: 1, dead: 1 });
      expect(await store.countByState(['dead', 'pending'])).toEqual({
        pending: 0,
        sending: 0,
        delivered: 0,
        dead: 1,
      });
      expect((await store.listDeliveries({ state: 'dead' }))[0]).toMatchObject({ lastReason: 'clientError' });
      expect((await store.listDeliveries()).map((d) => d.id)).toEqual([b!.id, a!.id]);
      expect(await store.listDeliveries({ limit: 1 })).toHaveLength(1);
      expect(await store.retryDeliveries(undefined, 300)).toBe(1);
      expect(await store.getDelivery(b!.id)).toMatchObject({
        state: 'pending',
        attempts: 0,
        nextAttemptAt: 300,
      });
      expect((await store.getDelivery(b!.id))?.failingSince).toBeUndefined();
      // one row: only a dead or pending one
      expect(await store.retryDeliveries(a!.id, 400)).toBe(0);
      expect(await store.retryDeliveries(b!.id, 400)).toBe(1);
      expect(await store.getDelivery(12345)).toBeUndefined();
    });

    it('answers ping while open; probeWrite commits; storedBytes counts the data', async () => {
      expect(await store.ping()).toBe(true);
      await store.probeWrite(1);
      await store.probeWrite(2);
      expect(await store.storedBytes()).toBeGreaterThan(0);
    });
  });

  describe(`${name} store contract: replay cache and retention`, () => {
    it('rememberSignature: a replay is refused until it expires', async () => {
      expect(await store.rememberSignature('s1', 100, 10)).toBe(true);
      expect(await store.rememberSignature('s1', 200, 50)).toBe(false);
      const other = await open();
      expect(await other.rememberSignature('s1', 200, 99)).toBe(false);
      // expired: recorded again
      expect(await other.rememberSignature('s1', 300, 100)).toBe(true);
      expect(await store.rememberSignature('s1', 400, 299)).toBe(false);
      expect(await store.rememberSignature('s2', 400, 299)).toBe(true);
    });

    it('prunes finished incidents with every delivery delivered, and nothing else', async () => {
      const done = (await store.recordAlert({ ...alert('firing', 'done'), now: 1 })).incident;
      const waiting = (await store.recordAlert({ ...alert('firing', 'waiting'), now: 2 })).incident;
      const fresh = (await store.recordAlert({ ...alert('firing', 'fresh'), now: 3 })).incident;
      const newer = (await store.recordAlert({ ...alert('firing', 'newer'), now: 500 })).incident;
      await queueOne(store, done.id, 'c', 0);
      await queueOne(store, waiting.id, 'c', 0);
      await store.enqueueDeliveries(newer.id, [], 500);
      const claimed = await store.claimDeliveries(10, 10, 100);
      const d = claimed.find((x) => x.incidentId === done.id)!;
      await store.markDelivered(d.id, 11, { ts: '1' });
      await store.updateIncident(done.id, { bundleDir: '/bundles/done' }, 12);
      expect(await store.prunableIncidents(100, 10)).toEqual([
        { id: done.id, receivedAt: 1, bundleDir: '/bundles/done' },
      ]);
      expect(await store.prunableIncidents(1000, 10)).toEqual([
        { id: done.id, receivedAt: 1, bundleDir: '/bundles/done' },
        { id: newer.id, receivedAt: 500 },
      ]);
      // an incident with an undelivered row is kept even when asked for
      expect(await store.deleteIncidents([done.id, waiting.id])).toBe(1);
      expect(await store.getIncident(done.id)).toBeUndefined();
      expect(await store.deliveriesFor(done.id)).toEqual([]);
      expect(await store.getThread(done.id, 'c')).toBeUndefined();
      expect(await store.getIncident(waiting.id)).toBeDefined();
      expect(await store.getIncident(fresh.id)).toBeDefined();
      expect(await store.deleteIncidents([])).toBe(0);
    });
  });

  describe(`${name} store contract: bundles`, () => {
    if (c.sharedBundles) {
      it('keeps bundles in the store: round trip, replace, cascade delete', async () => {
        expect(store.sharedBundles).toBe(true);
        const { incident } = await store.recordAlert(alert('firing'));
        expect(await store.getBundle(incident.id)).toBeUndefined();
        const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);
        await store.putBundle(incident.id, bytes, 5);
        const other = await open();
        expect(Buffer.from((await other.getBundle(incident.id))!)).toEqual(Buffer.from(bytes));
        await other.putBundle(incident.id, new Uint8Array([1, 2, 3]), 6);
        expect([...(await store.getBundle(incident.id))!]).toEqual([1, 2, 3]);
        await store.enqueueDeliveries(incident.id, [], 7);
        expect(await store.deleteIncidents([incident.id])).toBe(1);
        expect(await store.getBundle(incident.id)).toBeUndefined();
      });
    } else {
      it('keeps bundles on local disk: sharedBundles false, getBundle undefined, putBundle refused', async () => {
        expect(store.sharedBundles).toBe(false);
        const { incident } = await store.recordAlert(alert('firing'));
        expect(await store.getBundle(incident.id)).toBeUndefined();
        await expect(store.putBundle(incident.id, new Uint8Array([1]), 1)).rejects.toMatchObject({
          code: 'MT_ERR_STORE_BUNDLES',
        });
      });
    }
  });

  describe(`${name} store contract: several instances`, () => {
    it('concurrent recordAlert of one dedup key from several instances yields exactly one new', async () => {
      const stores = [store, await open(), await open(), await open()];
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          stores[i % stores.length]!.recordAlert(alert('firing', 'same', 'grp')),
        ),
      );
      expect(results.filter((r) => r.outcome === 'new')).toHaveLength(1);
      expect(results.filter((r) => r.outcome === 'repeat')).toHaveLength(23);
      expect(new Set(results.map((r) => r.incident.id)).size).toBe(1);
      expect((await store.getIncident(results[0]!.incident.id))?.repeats).toBe(23);
      // and a concurrent resolve storm: exactly one 'resolved'
      const resolves = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          stores[i % stores.length]!.recordAlert(alert('resolved', 'same', 'grp')),
        ),
      );
      expect(resolves.filter((r) => r.outcome === 'resolved')).toHaveLength(1);
      expect(resolves.filter((r) => r.outcome === 'repeat')).toHaveLength(11);
    });

    it('concurrent batches over the same keys in different orders all commit, one new per key', async () => {
      const stores = [store, await open(), await open()];
      const keys = ['x1', 'x2', 'x3', 'x4'];
      const batches = await Promise.all(
        Array.from({ length: 9 }, (_, i) => {
          const order = i % 2 === 0 ? keys : [...keys].reverse();
          return stores[i % stores.length]!.recordAlerts(order.map((k) => alert('firing', k, `g-${k}`)));
        }),
      );
      const outcomes = batches.flat();
      expect(outcomes.filter((r) => r.outcome === 'new')).toHaveLength(keys.length);
      expect(await store.countIncidents({})).toBe(keys.length);
    });

    it('concurrent claimDeliveries from several instances never hand out the same row', async () => {
      const stores = [store, await open(), await open(), await open()];
      const total = 150;
      for (let i = 0; i < total / 3; i++) {
        const { incident } = await store.recordAlert(alert('firing', `c${i}`, `g${i}`));
        await store.enqueueDeliveries(
          incident.id,
          ['a', 'b', 'c'].map((ch) => ({
            incidentId: incident.id,
            channel: ch,
            kind: 'open' as const,
            payload: i,
          })),
          0,
        );
      }
      // three claim loops per instance (12 claimers at once), each taking a few rows at a time
      const claimedBy = await Promise.all(
        [...stores, ...stores, ...stores].map(async (s) => {
          const mine: number[] = [];
          for (;;) {
            const got = await s.claimDeliveries(10, 5, 60_000);
            if (got.length === 0) return mine;
            mine.push(...got.map((d) => d.id));
          }
        }),
      );
      const all = claimedBy.flat();
      expect(all).toHaveLength(total);
      expect(new Set(all).size).toBe(total);
      expect((await store.countByState()).sending).toBe(total);
      // each row was claimed once: one attempt counted
      expect((await store.listDeliveries({ limit: total })).every((d) => d.attempts === 1)).toBe(true);
    });

    it('concurrent rememberSignature of one signature from several instances: exactly one is not a replay', async () => {
      const stores = [store, await open(), await open()];
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => stores[i % stores.length]!.rememberSignature('sig', 1000, 10)),
      );
      expect(answers.filter(Boolean)).toHaveLength(1);
    });

    it('refuses a database written by a newer memtriage', async () => {
      await store.close();
      await target.setNewerSchema();
      await expect(target.open()).rejects.toMatchObject({ code: 'MT_ERR_STORE_VERSION' });
    });

    it('several instances opening one new database together migrate it once', async () => {
      const t = await freshTarget();
      const stores = await Promise.all([open(t), open(t), open(t), open(t)]);
      expect(await t.schemaVersion()).toBe(c.schemaVersion);
      const rs = await Promise.all(stores.map((s) => s.recordAlert(alert('firing', 'm'))));
      expect(rs.filter((r) => r.outcome === 'new')).toHaveLength(1);
    });

    it('a storage error is one the server answers with 503 (isStorageError)', () => {
      expect(isStorageError({ code: 'MT_ERR_STORE_UNAVAILABLE' })).toBe(true);
      expect(isStorageError({ code: 'SQLITE_FULL' })).toBe(true);
      expect(isStorageError({ code: 'SQLITE_CONSTRAINT' })).toBe(false);
    });
  });
}
