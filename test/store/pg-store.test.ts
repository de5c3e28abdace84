import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openStore } from '../../engine/store/open-store.js';
import { PG_SCHEMA_VERSION } from '../../engine/store/pg-schema.js';
import { isPgUnavailable, openPgStore, redactUrl } from '../../engine/store/pg-store.js';
import { isStorageError } from '../../engine/store/storage-error.js';
import { type PgCluster, skipPgSuites, startPgCluster } from '../helpers/pg-cluster.js';
import { describeStoreContract } from './store-contract.js';

const skip = skipPgSuites();
const suite = skip ? describe.skip : describe;

let cluster: PgCluster | undefined;
let n = 0;
const dbName = () => `mt_${process.pid}_${++n}`;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

suite('postgresql store', () => {
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  describeStoreContract('postgresql', {
    schemaVersion: PG_SCHEMA_VERSION,
    sharedBundles: true,
    async target() {
      const c = cluster!;
      const name = dbName();
      const url = await c.createDatabase(name);
      return {
        open: () => openPgStore(url, { poolSize: 4 }),
        setNewerSchema: () =>
          withClient(url, async (db) => {
            await db.query('INSERT INTO memtriage_schema (version, applied_at) VALUES ($1, 0)', [
              PG_SCHEMA_VERSION + 1,
            ]);
          }),
        schemaVersion: () =>
          withClient(url, async (db) => {
            const r = await db.query<{ v: number; rows: string }>(
              'SELECT max(version) AS v, count(*)::text AS rows FROM memtriage_schema',
            );
            // one row per applied migration: migrated once however many replicas started
            expect(Number(r.rows[0]?.rows)).toBe(PG_SCHEMA_VERSION);
            return r.rows[0]!.v;
          }),
        cleanup: () => c.dropDatabase(name),
      };
    },
  });

  describe('postgresql store: replicas and outages', () => {
    it('releaseInFlight releases nothing (other replicas may hold those leases)', async () => {
      const name = dbName();
      const url = await cluster!.createDatabase(name);
      const store = await openPgStore(url);
      try {
        const { incident } = await store.recordAlert({
          dedupKey: 'k',
          source: 'generic',
          groupKey: 'g',
          status: 'firing',
          payload: {},
          now: 1,
        });
        await store.enqueueDeliveries(
          incident.id,
          [{ incidentId: incident.id, channel: 'c', kind: 'open', payload: 1 }],
          1,
        );
        expect(await store.claimDeliveries(2, 5, 1000)).toHaveLength(1);
        expect(await store.releaseInFlight()).toBe(0);
        expect(await store.countByState(['sending'])).toMatchObject({ sending: 1 });
      } finally {
        await store.close();
        await cluster!.dropDatabase(name);
      }
    });

    it('the database down: calls reject with MT_ERR_STORE_UNAVAILABLE and ping is false; back up: the same store works', async () => {
      const c = cluster!;
      const name = dbName();
      const url = await c.createDatabase(name);
      const idleErrors: Error[] = [];
      const store = await openPgStore(url, {
        connectTimeoutMs: 1000,
        onIdleError: (e) => idleErrors.push(e),
      });
      const fire = (key: string) =>
        store.recordAlert({
          dedupKey: key,
          source: 'generic',
          groupKey: 'g',
          status: 'firing',
          payload: {},
          now: 1,
        });
      try {
        expect((await fire('before')).outcome).toBe('new');
        await c.stop();
        const err = await fire('during').then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toMatchObject({ name: 'MemtriageError', code: 'MT_ERR_STORE_UNAVAILABLE' });
        expect(isStorageError(err)).toBe(true);
        expect(String((err as Error).message)).toContain('unavailable');
        await expect(store.getIncident('x')).rejects.toMatchObject({ code: 'MT_ERR_STORE_UNAVAILABLE' });
        await expect(store.claimDeliveries(1, 1, 1)).rejects.toMatchObject({
          code: 'MT_ERR_STORE_UNAVAILABLE',
        });
        await expect(store.probeWrite(1)).rejects.toMatchObject({ code: 'MT_ERR_STORE_UNAVAILABLE' });
        expect(await store.ping()).toBe(false);
        // the pooled connections the shutdown killed were reported, not thrown (the process lives on)
        expect(idleErrors.length).toBeGreaterThan(0);
        await c.start();
        expect(await store.ping()).toBe(true);
        expect((await fire('after')).outcome).toBe('new');
        expect((await fire('before')).outcome).toBe('repeat');
      } finally {
        await c.start().catch(() => undefined);
        await store.close();
        await c.dropDatabase(name);
      }
    }, 60_000);

    it('opening against a database that is down rejects with MT_ERR_STORE_UNAVAILABLE, without the password', async () => {
      const url = `postgres://memtriage:s3cret@127.0.0.1:1/none`;
      const err = await openPgStore(url, { connectTimeoutMs: 1000 }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err).toMatchObject({ code: 'MT_ERR_STORE_UNAVAILABLE' });
      expect(err?.message).not.toContain('s3cret');
      expect(err?.message).toContain('memtriage:***@127.0.0.1:1');
    });

    it('openStore picks the store by URL and refuses other schemes without echoing credentials', async () => {
      const name = dbName();
      const url = await cluster!.createDatabase(name);
      const a = await openStore({ url, dataDir: '/nonexistent' });
      const b = await openStore({
        url: url.replace('postgres://', 'postgresql://'),
        dataDir: '/nonexistent',
      });
      expect(a.sharedBundles && b.sharedBundles).toBe(true);
      await a.close();
      await b.close();
      await cluster!.dropDatabase(name);
      const bad = await openStore({ url: 'mysql://root:hunter2@db/x', dataDir: '/tmp' }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(bad).toMatchObject({ code: 'MT_ERR_STORE_URL' });
      expect(bad?.message).toContain('mysql');
      expect(bad?.message).not.toContain('hunter2');
    });

    it('classifies connection failures, not data errors, as unavailable', () => {
      expect(isPgUnavailable({ code: 'ECONNREFUSED' })).toBe(true);
      expect(isPgUnavailable({ code: '57P01' })).toBe(true);
      expect(isPgUnavailable({ code: '08006' })).toBe(true);
      expect(isPgUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
      expect(isPgUnavailable({ code: '23505' })).toBe(false);
      expect(isPgUnavailable({ code: '42P01', message: 'relation does not exist' })).toBe(false);
      expect(redactUrl('postgres://u:p%40ss@h:5/db')).toBe('postgres://u:***@h:5/db');
    });
  });
});
