import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { ServerConfig } from '../config/types.js';
import type { Log } from '../notify/log.js';
import { isStorageError } from '../store/storage-error.js';
import type { PrunableIncident, Store } from '../store/types.js';

export interface RetentionResult {
  incidents: number;
  bundles: number;
  /** Database bytes in use plus bundle bytes, after the pass. */
  bytes: number;
}

/** Bytes under a path (files only; a bundle is a few small files). */
function bytesUnder(path: string): number {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.size;
  let n = 0;
  for (const e of readdirSync(path)) n += bytesUnder(join(path, e));
  return n;
}

/**
 * Retention: finished incidents (pipeline done, every delivery delivered) older than `maxAge` are
 * deleted with their bundles, then the oldest such ones while the database and bundles together
 * exceed `maxBytes`. An incident with a delivery still pending, sending or dead is never deleted,
 * nor one whose pipeline has not finished. Bundles go first: removing files frees space even when
 * the disk is too full for SQLite to commit the deletion (the rows then go on a later pass).
 */
export async function runRetention(deps: {
  store: Store;
  config: Pick<ServerConfig, 'retention'> & { server: Pick<ServerConfig['server'], 'dataDir'> };
  now: number;
  log: Log;
  onDeleted?: (what: 'incidents' | 'bundles', n: number) => void;
}): Promise<RetentionResult> {
  const { store } = deps;
  const { maxAgeMs, maxBytes } = deps.config.retention;
  const root = resolve(deps.config.server.dataDir, 'bundles') + sep;
  let incidents = 0;
  let bundles = 0;
  let bundleBytes = bytesUnder(root);

  /** Deletes a batch; false when the rows could not be deleted (the disk is full): stop for now. */
  const remove = async (batch: readonly PrunableIncident[]): Promise<boolean> => {
    for (const i of batch) {
      if (i.bundleDir === undefined) continue;
      const dir = resolve(i.bundleDir);
      // Only ever under <dataDir>/bundles: a bundle directory recorded elsewhere is not ours to delete.
      if (!dir.startsWith(root)) continue;
      const size = bytesUnder(dir);
      if (size === 0) continue;
      rmSync(dir, { recursive: true, force: true });
      bundleBytes -= size;
      bundles++;
    }
    try {
      incidents += await store.deleteIncidents(batch.map((i) => i.id));
      return true;
    } catch (err) {
      if (!isStorageError(err)) throw err;
      deps.log.warn(
        { error: (err as Error).message },
        'retention freed bundles; the incident rows go on a later pass',
      );
      return false;
    }
  };

  for (;;) {
    const batch = await store.prunableIncidents(deps.now - maxAgeMs, 200);
    if (batch.length === 0 || !(await remove(batch))) break;
  }
  let bytes = (await store.storedBytes()) + bundleBytes;
  while (bytes > maxBytes) {
    const batch = await store.prunableIncidents(Number.MAX_SAFE_INTEGER, 20);
    if (batch.length === 0 || !(await remove(batch))) break;
    bytes = (await store.storedBytes()) + bundleBytes;
  }
  if (incidents > 0 || bundles > 0) {
    deps.onDeleted?.('incidents', incidents);
    deps.onDeleted?.('bundles', bundles);
    deps.log.info(
      { incidents, bundles, bytes, maxBytes, maxAgeSeconds: maxAgeMs / 1000 },
      'retention deleted old incidents',
    );
  }
  return { incidents, bundles, bytes };
}
