import { MemtriageError } from '../errors.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';

/** Placeholder until the PostgreSQL store lands: SQLite only. */
export async function openStore(opts: { url?: string; dataDir: string; poolSize?: number }): Promise<Store> {
  if (opts.url === undefined) return openSqliteStore(opts.dataDir);
  throw new MemtriageError('MT_ERR_STORE_URL', 'PostgreSQL store not built yet');
}
