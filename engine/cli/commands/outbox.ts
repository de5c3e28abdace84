import { loadConfig } from '../../config/load-config.js';
import { parseStoreUrl } from '../../config/store-url.js';
import {
  formatOutboxList,
  outboxList,
  outboxRetry,
  type StoreLocation,
} from '../../notify/outbox-commands.js';
import { InputError } from '../../errors.js';
import type { DeliveryState } from '../../store/types.js';
import type { CliIo } from '../io.js';

const STATES: readonly DeliveryState[] = ['pending', 'sending', 'delivered', 'dead'];

/**
 * `--store URL` / `--data-dir`, else the config's `store.url` / `server.dataDir` (`--config`, as
 * `serve` reads it), else serve's default (SQLite under memtriage-data).
 */
export interface OutboxCliOptions {
  dataDir?: string;
  store?: string;
  config?: string;
}

async function storeOf(opts: OutboxCliOptions, io: CliIo): Promise<StoreLocation> {
  const env = Object.fromEntries(
    Object.entries(io.env ?? {}).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const config = opts.config === undefined ? undefined : await loadConfig(opts.config, env);
  const url = (opts.store !== undefined ? parseStoreUrl(opts.store) : config?.store.url)?.reveal();
  return {
    dataDir: opts.dataDir ?? config?.server.dataDir ?? 'memtriage-data',
    ...(url !== undefined ? { url } : {}),
  };
}

/** `memtriage outbox list [--state S]`: deliveries with their attempts and last errors. */
export async function outboxListCommand(
  opts: OutboxCliOptions & { state?: string; limit?: string },
  io: CliIo,
): Promise<number> {
  if (opts.state !== undefined && !STATES.includes(opts.state as DeliveryState)) {
    throw new InputError(
      'MT_ERR_CLI_USAGE',
      `--state must be one of ${STATES.join(', ')}, not "${opts.state}"`,
    );
  }
  const limit = opts.limit === undefined ? undefined : Number(opts.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) {
    throw new InputError('MT_ERR_CLI_USAGE', `--limit must be a positive integer, not "${opts.limit}"`);
  }
  const entries = await outboxList(await storeOf(opts, io), {
    ...(opts.state !== undefined ? { state: opts.state as DeliveryState } : {}),
    ...(limit !== undefined ? { limit } : {}),
  });
  const text = formatOutboxList(entries);
  io.out(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}

/** `memtriage outbox retry [ID]`: dead deliveries (or one) back to pending with a fresh attempt budget. */
export async function outboxRetryCommand(
  id: string | undefined,
  opts: OutboxCliOptions,
  io: CliIo,
): Promise<number> {
  const n = id === undefined ? undefined : Number(id);
  if (n !== undefined && (!Number.isInteger(n) || n <= 0)) {
    throw new InputError('MT_ERR_CLI_USAGE', `delivery id must be a positive integer, not "${id}"`);
  }
  const count = await outboxRetry(await storeOf(opts, io), n);
  io.out(
    `${count} deliver${count === 1 ? 'y' : 'ies'} queued again; a running server sends them on its next poll\n`,
  );
  return 0;
}
