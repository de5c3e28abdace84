import type { AlertInput, RecordResult, Store } from '../store/types.js';

/**
 * Group commit for webhooks. Every notification must be durable before it is answered, and a
 * commit costs an fsync (SQLite) or a round trip plus the server's fsync (PostgreSQL), so
 * committing each one alone caps the server at about a thousand alerts a second on a fast disk and
 * far fewer on a slow one. Requests that arrive while a commit is in flight (or in the same turn of
 * the event loop) are recorded together in the next transaction, then all answered.
 */
export function createAcceptBatcher(store: Store): (input: AlertInput) => Promise<RecordResult> {
  type Waiter = { input: AlertInput; resolve: (r: RecordResult) => void; reject: (e: unknown) => void };
  let pending: Waiter[] = [];
  let committing = false;
  const flush = async (): Promise<void> => {
    committing = true;
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        const results =
          batch.length === 1
            ? [await store.recordAlert(batch[0]!.input)]
            : await store.recordAlerts(batch.map((b) => b.input));
        batch.forEach((b, i) => b.resolve(results[i]!));
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    committing = false;
  };
  return (input) =>
    new Promise<RecordResult>((resolve, reject) => {
      if (pending.length === 0 && !committing)
        setImmediate(() => {
          flush().catch(() => undefined);
        }); // flush settles every waiter itself
      pending.push({ input, resolve, reject });
    });
}
