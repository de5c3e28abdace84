import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../engine/config/default-config.js';
import { runRetention } from '../../engine/server/retention.js';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import type { Store } from '../../engine/store/types.js';

const DAY = 86_400_000;
let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mt-retention-'));
  store = openSqliteStore(dir);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A finished incident received at `at`, with a 10 KB bundle and one delivery in `state`. */
async function incident(
  key: string,
  at: number,
  state: 'delivered' | 'pending' | 'dead' | 'none' = 'delivered',
) {
  const { incident: i } = await store.recordAlert({
    dedupKey: key,
    source: 'alertmanager',
    groupKey: key,
    status: 'firing',
    payload: { key },
    now: at,
  });
  const bundleDir = join(dir, 'bundles', i.id);
  mkdirSync(bundleDir, { recursive: true });
  writeFileSync(join(bundleDir, 'alert.json'), 'x'.repeat(10_000));
  await store.updateIncident(i.id, { bundleDir }, at);
  if (state === 'none') return { id: i.id, bundleDir };
  await store.enqueueDeliveries(i.id, [{ incidentId: i.id, channel: 'c', kind: 'open', payload: {} }], at);
  const [d] = await store.deliveriesFor(i.id);
  if (state === 'delivered') await store.markDelivered(d!.id, at);
  if (state === 'dead') await store.markDead(d!.id, 'x', 'clientError');
  return { id: i.id, bundleDir };
}

const run = async (maxAgeMs: number, maxBytes: number, now: number) => {
  const config = defaultConfig();
  config.server.dataDir = dir;
  config.retention = { maxAgeMs, maxBytes, intervalMs: 60_000 };
  const lines: string[] = [];
  const deleted: Record<string, number> = {};
  const r = await runRetention({
    store,
    config,
    now,
    log: { info: (_o, m) => lines.push(m), warn: (_o, m) => lines.push(m), error: (_o, m) => lines.push(m) },
    onDeleted: (what, n) => (deleted[what] = (deleted[what] ?? 0) + n),
  });
  return { ...r, lines, deleted };
};

describe('retention', () => {
  it('deletes finished incidents older than maxAge with their bundles; never one with an undelivered row or an unfinished pipeline', async () => {
    const now = 100 * DAY;
    const old = await incident('old', now - 40 * DAY);
    const oldPending = await incident('old-pending', now - 40 * DAY, 'pending');
    const oldDead = await incident('old-dead', now - 40 * DAY, 'dead');
    const oldUnfinished = await incident('old-unfinished', now - 40 * DAY, 'none');
    const recent = await incident('recent', now - DAY);
    const r = await run(30 * DAY, 1024 ** 3, now);
    expect(r.incidents).toBe(1);
    expect(r.deleted).toEqual({ incidents: 1, bundles: 1 });
    expect(r.lines).toContain('retention deleted old incidents');
    expect(await store.getIncident(old.id)).toBeUndefined();
    expect(existsSync(old.bundleDir)).toBe(false);
    for (const kept of [oldPending, oldDead, oldUnfinished, recent]) {
      expect(await store.getIncident(kept.id)).toBeDefined();
      expect(existsSync(kept.bundleDir)).toBe(true);
    }
    expect(await store.deliveriesFor(oldPending.id)).toHaveLength(1);
  });

  it('past maxBytes, deletes the oldest finished incidents until the store and bundles fit', async () => {
    const now = 100 * DAY;
    const ids = [];
    for (let i = 0; i < 30; i++) ids.push(await incident(`k${i}`, now - (30 - i) * 60_000));
    const before = (await run(30 * DAY, 1024 ** 3, now)).bytes;
    expect(before).toBeGreaterThan(300_000);
    const r = await run(30 * DAY, before - 100_000, now);
    expect(r.bytes).toBeLessThanOrEqual(before - 100_000);
    expect(r.incidents).toBeGreaterThanOrEqual(10);
    // oldest first
    expect(await store.getIncident(ids[0]!.id)).toBeUndefined();
    expect(await store.getIncident(ids[29]!.id)).toBeDefined();
    expect(existsSync(ids[0]!.bundleDir)).toBe(false);
  });
});
