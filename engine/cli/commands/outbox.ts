import { formatOutboxList, outboxList, outboxRetry } from '../../notify/outbox-commands.js';
import { InputError } from '../../errors.js';
import type { DeliveryState } from '../../store/types.js';
import type { CliIo } from '../io.js';

const STATES: readonly DeliveryState[] = ['pending', 'sending', 'delivered', 'dead'];

/** `memtriage outbox list [--state S]`: deliveries with their attempts and last errors. */
export function outboxListCommand(
  opts: { dataDir: string; state?: string; limit?: string },
  io: CliIo,
): number {
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
  const entries = outboxList(opts.dataDir, {
    ...(opts.state !== undefined ? { state: opts.state as DeliveryState } : {}),
    ...(limit !== undefined ? { limit } : {}),
  });
  io.out(formatOutboxList(entries));
  return 0;
}

/** `memtriage outbox retry [ID]`: dead deliveries (or one) back to pending with a fresh attempt budget. */
export function outboxRetryCommand(id: string | undefined, opts: { dataDir: string }, io: CliIo): number {
  const n = id === undefined ? undefined : Number(id);
  if (n !== undefined && (!Number.isInteger(n) || n <= 0)) {
    throw new InputError('MT_ERR_CLI_USAGE', `delivery id must be a positive integer, not "${id}"`);
  }
  const count = outboxRetry(opts.dataDir, n);
  io.out(
    `${count} deliver${count === 1 ? 'y' : 'ies'} queued again; a running server sends them on its next poll\n`,
  );
  return 0;
}
