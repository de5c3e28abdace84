import { NotifyError } from '../../engine/notify/notify-error.js';
import type { NotifyReason } from '../../engine/notify/notify-error.js';

/** Slack API error names (docs.slack.dev, "Web API" error tables) that mean the token is wrong or lacks rights. */
const AUTH = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'no_permission',
  'ekm_access_denied',
  'not_allowed_token_type',
]);
/** …and those that are Slack's own trouble, worth retrying. */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

interface SlackLikeError {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string };
  original?: { code?: string; message?: string };
}

/**
 * @slack/web-api's four error codes (`ErrorCode` in its dist/errors.d.ts) → our reasons. The
 * message names the API method and Slack's error string only: never the token, never a URL.
 */
export function classifySlackError(method: string, err: unknown): NotifyError {
  const e = (err ?? {}) as SlackLikeError;
  const fail = (reason: NotifyReason, what: string, retryAfterMs?: number) =>
    new NotifyError(reason, `slack ${method}: ${what}`, retryAfterMs, { cause: err });
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return fail(
        'rateLimited',
        `rate limited (Retry-After ${e.retryAfter ?? '?'} s)`,
        (e.retryAfter ?? 1) * 1000,
      );
    case 'slack_webapi_platform_error': {
      const name = e.data?.error ?? 'unknown_error';
      if (AUTH.has(name)) return fail('authError', name);
      if (name === 'ratelimited' || name === 'rate_limited') return fail('rateLimited', name, 1000);
      if (TRANSIENT.has(name)) return fail('serverError', name);
      return fail('clientError', name);
    }
    case 'slack_webapi_http_error': {
      const status = e.statusCode ?? 0;
      if (status === 429) return fail('rateLimited', 'HTTP 429', 1000);
      if (status === 401 || status === 403) return fail('authError', `HTTP ${status}`);
      if (status >= 500 || status === 408) return fail('serverError', `HTTP ${status}`);
      return fail('clientError', `HTTP ${status}`);
    }
    case 'slack_webapi_request_error': {
      const code = e.original?.code ?? '';
      const timedOut =
        code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(e.original?.message ?? '');
      return fail(
        timedOut ? 'timeout' : 'serverError',
        timedOut ? 'timed out' : `request failed (${code || 'network'})`,
      );
    }
    default:
      return fail('serverError', `unexpected failure (${(err as Error)?.name ?? typeof err})`);
  }
}
