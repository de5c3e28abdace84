import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { readTarGz } from '../../bundle/read-tar-gz.js';
import { tarGzDirectory } from '../../bundle/write-tar-gz.js';
import type { Store } from '../../store/types.js';

/** The top directory inside a stored bundle archive: the name the web page's download gives it too. */
export function bundleArchivePrefix(incidentId: string): string {
  return `memtriage-${incidentId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/**
 * Stores the bundle directory in a shared store (PostgreSQL), so any replica can diagnose, serve and
 * back-test the incident: replicas share no disk. A local store keeps the directory as it is.
 */
export async function shareBundle(store: Store, incidentId: string, dir: string, now: number): Promise<void> {
  if (!store.sharedBundles) return;
  await store.putBundle(incidentId, await tarGzDirectory(dir, bundleArchivePrefix(incidentId)), now);
}

/**
 * Unpacks the shared copy of an incident's bundle into `dir` (this replica did not acquire it).
 * False when the store has none. Paths come from our own archive, but are still kept inside `dir`.
 */
export async function restoreBundle(store: Store, incidentId: string, dir: string): Promise<boolean> {
  if (!store.sharedBundles) return false;
  const archive = await store.getBundle(incidentId);
  if (archive === undefined) return false;
  const root = resolve(dir) + sep;
  const prefix = `${bundleArchivePrefix(incidentId)}/`;
  await mkdir(dir, { recursive: true });
  for (const [name, data] of readTarGz(archive, `bundle of ${incidentId}`)) {
    const target = resolve(dir, name.startsWith(prefix) ? name.slice(prefix.length) : name);
    if (!target.startsWith(root)) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, data);
  }
  return true;
}
