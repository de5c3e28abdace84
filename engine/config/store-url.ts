import { InputError } from '../errors.js';
import { Secret } from './secret.js';

/** What `store.url` accepts: PostgreSQL's two URL schemes (libpq's own). */
export const STORE_URL_PATTERN = /^postgres(ql)?:\/\//;

/**
 * `--store URL` from the command line: a `postgres://` URL, kept as a Secret (it usually holds a
 * password). Anything else is refused naming only its scheme, never the rest of the value.
 */
export function parseStoreUrl(raw: string): Secret {
  if (!STORE_URL_PATTERN.test(raw)) {
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(raw)?.[1];
    throw new InputError(
      'MT_ERR_STORE_URL',
      `--store must be a postgres:// or postgresql:// URL${scheme ? `, not ${scheme}:` : ''} (without --store: SQLite under the data dir)`,
    );
  }
  return new Secret(raw);
}
