import { MemtriageError } from '../errors.js';
import { openPgStore, redactUrl, type PgStoreOptions } from './pg-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';

export interface OpenStoreOptions {
  /** `postgres://` or `postgresql://` URL of a shared store; absent: SQLite under `dataDir`. */
  url?: string;
  dataDir: string;
  pg?: PgStoreOptions;
}

/**
 * The store a server runs on: PostgreSQL when a URL is given (several replicas), else the SQLite
 * file under the data dir. Any other URL scheme is refused, naming the scheme and never the
 * credentials.
 */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  if (opts.url === undefined || opts.url === '') return openSqliteStore(opts.dataDir);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(opts.url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return openPgStore(opts.url, opts.pg);
  throw new MemtriageError(
    'MT_ERR_STORE_URL',
    scheme
      ? `store URL scheme "${scheme}:" is not supported (${redactUrl(opts.url)}); use postgres:// or postgresql://, or no URL for SQLite`
      : `store URL ${redactUrl(opts.url)} has no scheme; use postgres:// or postgresql://, or no URL for SQLite`,
  );
}
