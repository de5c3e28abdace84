import { MemtriageError } from '../errors.js';

/** Alertmanager's `ErrorWithReason` reasons (prometheus/alertmanager: notify/util.go); also a metric label. */
export type NotifyReason = 'rateLimited' | 'serverError' | 'clientError' | 'authError' | 'timeout';

const RETRYABLE: Record<NotifyReason, boolean> = {
  rateLimited: true,
  serverError: true,
  timeout: true,
  clientError: false,
  authError: false,
};

/**
 * A failed delivery attempt, classified by the integration. The message must not contain
 * secrets or full URLs with credentials; integrations build it from status codes and API
 * error names only.
 */
export class NotifyError extends MemtriageError {
  readonly retryable: boolean;
  constructor(
    readonly reason: NotifyReason,
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super('MT_ERR_NOTIFY_FAILED', message, options);
    this.name = 'NotifyError';
    this.retryable = RETRYABLE[reason];
  }
}

/** Anything an integration threw that it did not classify counts as a (retryable) server error. */
export function asNotifyError(err: unknown): NotifyError {
  if (err instanceof NotifyError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new NotifyError('serverError', `unclassified failure: ${msg}`, undefined, { cause: err });
}
