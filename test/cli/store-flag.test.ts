/**
 * `--store URL` on the commands that read the store (issue 13): `outbox list|retry` and `backtest`
 * against a real PostgreSQL store (the bundles come out of the database), and a URL that is not
 * PostgreSQL's refused with exit 2 without echoing its credentials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tarGzDirectory } from '../../engine/bundle/write-tar-gz.js';
import { bundleArchivePrefix } from '../../engine/server/pipeline/shared-bundle.js';
import { openPgStore } from '../../engine/store/pg-store.js';
import { runCli } from '../helpers/run-cli.js';
import { skipPgSuites, startPgCluster, type PgCluster } from '../helpers/pg-cluster.js';

const skip = skipPgSuites();
let cluster: PgCluster;
let url: string;
const scratch = mkdtempSync(join(tmpdir(), 'mt-store-flag-'));

beforeAll(async () => {
  if (skip) return;
  cluster = await startPgCluster();
  url = await cluster.createDatabase('store_flag');
  // One incident with the map-leak example as its bundle, stored in the database, and a dead delivery.
  const store = await openPgStore(url);
  try {
    const { incident } = await store.recordAlert({
      dedupKey: 'k1',
      source: 'alertmanager',
      groupKey: 'g1',
      status: 'firing',
      payload: { alerts: [{ labels: { alertname: 'MapLeak', service: 'pub' } }] },
      now: Date.now(),
    });
    const dir = join(process.cwd(), 'examples/incidents/pub-map-leak');
    await store.putBundle(
      incident.id,
      await tarGzDirectory(dir, bundleArchivePrefix(incident.id)),
      Date.now(),
    );
    await store.updateIncident(
      incident.id,
      { stage: 'acquired', bundleDir: '/elsewhere/bundles/x' },
      Date.now(),
    );
    await store.enqueueDeliveries(
      incident.id,
      [{ incidentId: incident.id, channel: 'oncall', kind: 'open', payload: {} }],
      Date.now(),
    );
    const [d] = await store.deliveriesFor(incident.id);
    await store.markDead(d!.id, 'invalid_auth', 'authError');
  } finally {
    await store.close();
  }
}, 120_000);

afterAll(async () => {
  await cluster?.destroy();
  rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(skip)('--store URL', () => {
  it('outbox list and retry read and change the PostgreSQL store', async () => {
    const list = await runCli('outbox', 'list', '--store', url, '--state', 'dead');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/dead\toncall\topen\tattempts=0/);
    const retry = await runCli('outbox', 'retry', '--store', url);
    expect(retry.code).toBe(0);
    expect(retry.out).toMatch(/^1 delivery queued again/);
    expect((await runCli('outbox', 'list', '--store', url, '--state', 'dead')).out).toContain(
      'outbox is empty',
    );
  });

  it('backtest replays the bundles held in the database', async () => {
    const r = await runCli('backtest', '--store', url, '--rules', 'rules', '--no-default-rules');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /1 incidents? replayed: 0 changed, 0 appeared, 0 disappeared, 1 unchanged, 0 errors/,
    );
  });

  it('a URL that is not PostgreSQL is refused with exit 2, without its password', async () => {
    for (const argv of [
      ['outbox', 'list', '--store', 'mysql://root:hunter2@db/x'],
      ['backtest', '--rules', 'rules', '--store', 'mysql://root:hunter2@db/x'],
      ['serve', '--port', '0', '--data-dir', scratch, '--store', 'mysql://root:hunter2@db/x'],
    ]) {
      const r = await runCli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(/MT_ERR_STORE_URL|postgres:\/\//);
      expect(r.err).not.toContain('hunter2');
    }
  });
});
