import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { openStore } from '../store/open-store.js';
import type { DeliveryRecord, DeliveryState, Store } from '../store/types.js';

export interface OutboxListEntry {
  id: number;
  incidentId: string;
  channel: string;
  kind: DeliveryRecord['kind'];
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string;
  lastReason?: string;
  lastError?: string;
}

/** Where the store is: SQLite under `dataDir`, or the PostgreSQL at `url` when given. */
export interface StoreLocation {
  dataDir: string;
  url?: string;
}

async function openExisting(loc: StoreLocation): Promise<Store> {
  if (loc.url === undefined && !existsSync(join(loc.dataDir, 'memtriage.db'))) {
    throw new InputError(
      'MT_ERR_STORE_NOT_FOUND',
      `${loc.dataDir}: no memtriage.db here (is --data-dir right, or does the config name a store.url?)`,
    );
  }
  return openStore(loc);
}

/** `memtriage outbox list [--state dead]`: newest first. Safe while the server runs (WAL readers do not block). */
export async function outboxList(
  loc: StoreLocation,
  opts: { state?: DeliveryState; limit?: number } = {},
): Promise<OutboxListEntry[]> {
  const store = await openExisting(loc);
  try {
    return (await store.listDeliveries(opts)).map((d) => ({
      id: d.id,
      incidentId: d.incidentId,
      channel: d.channel,
      kind: d.kind,
      state: d.state,
      attempts: d.attempts,
      nextAttemptAt: new Date(d.nextAttemptAt).toISOString(),
      ...(d.lastReason ? { lastReason: d.lastReason } : {}),
      ...(d.lastError ? { lastError: d.lastError } : {}),
    }));
  } finally {
    await store.close();
  }
}

/**
 * `memtriage outbox retry [ID]`: dead deliveries (or the one given) go back to pending with a fresh
 * attempt budget; a running server picks them up at its next poll. Returns how many changed.
 */
export async function outboxRetry(loc: StoreLocation, id?: number): Promise<number> {
  const store = await openExisting(loc);
  try {
    const n = await store.retryDeliveries(id);
    if (id !== undefined && n === 0) {
      throw new InputError('MT_ERR_OUTBOX_NOT_FOUND', `no dead or pending delivery with id ${id}`);
    }
    return n;
  } finally {
    await store.close();
  }
}

/** One line per delivery for the terminal. */
export function formatOutboxList(entries: readonly OutboxListEntry[]): string {
  if (entries.length === 0) return 'outbox is empty';
  return entries
    .map((e) =>
      [
        e.id,
        e.state,
        e.channel,
        e.kind,
        `attempts=${e.attempts}`,
        e.incidentId,
        e.lastReason ?? '',
        e.lastError ?? '',
      ]
        .join('\t')
        .trimEnd(),
    )
    .join('\n');
}
