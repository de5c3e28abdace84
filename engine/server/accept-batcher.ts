import type { AlertInput, RecordResult, Store } from '../store/types.js';

/**
 * Group commit for webhooks. Every notification must be on disk before it is answered, and an
 * fsync costs about a millisecond here, so committing each one alone caps the server at about a
 * thousand alerts a second on a fast disk and far fewer on a slow one. Requests that arrive in the
 * same turn of the event loop are recorded in one transaction and one fsync, then all answered.
 */
export function createAcceptBatcher(store: Store): (input: AlertInput) => Promise<RecordResult> {
  let pending: { input: AlertInput; resolve: (r: RecordResult) => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    try {
      const results =
        batch.length === 1
          ? [store.recordAlert(batch[0]!.input)]
          : store.recordAlerts(batch.map((b) => b.input));
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  };
  return (input) =>
    new Promise<RecordResult>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ input, resolve, reject });
    });
}
