import type { FastifyReply } from 'fastify';
import type { ErrorCode } from '../error-codes.js';

/**
 * Stable codes of the HTTP API's 4xx answers. Every error body is
 * `{ "error": { "code", "message", "path"? } }` so scripts branch on the code, never the text.
 */
export const HTTP_ERRORS = {
  unauthorized: { status: 401, code: 'MT_ERR_HTTP_UNAUTHORIZED' },
  notFound: { status: 404, code: 'MT_ERR_HTTP_NOT_FOUND' },
  tooLarge: { status: 413, code: 'MT_ERR_HTTP_BODY_TOO_LARGE' },
  badMediaType: { status: 415, code: 'MT_ERR_HTTP_MEDIA_TYPE' },
  badJson: { status: 400, code: 'MT_ERR_HTTP_BAD_JSON' },
  badRequest: { status: 400, code: 'MT_ERR_HTTP_BAD_REQUEST' },
  badShape: { status: 422, code: 'MT_ERR_HTTP_BAD_PAYLOAD' },
  storeUnavailable: { status: 503, code: 'MT_ERR_STORE_UNAVAILABLE' },
  busy: { status: 503, code: 'MT_ERR_HTTP_BUSY' },
} as const satisfies Record<string, { status: number; code: ErrorCode }>;

/** What a 503 (disk full, too busy) asks the sender to wait before retrying. */
export const RETRY_AFTER_SECONDS = 30;

export type HttpErrorKind = keyof typeof HTTP_ERRORS;

export function sendError(
  reply: FastifyReply,
  kind: HttpErrorKind,
  message: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  const { status, code } = HTTP_ERRORS[kind];
  if (kind === 'unauthorized')
    reply.header('www-authenticate', 'Bearer realm="memtriage", Basic realm="memtriage"');
  // Alertmanager retries a 5xx; Retry-After says when it is worth it.
  if (status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  return reply.status(status).send({ error: { code, message, ...extra } });
}

/** Fastify's own client-error codes → ours. Anything else ≥ 400 and < 500 is a bad request. */
export function kindOfFastifyError(code: string | undefined, status: number): HttpErrorKind | undefined {
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) return 'tooLarge';
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) return 'badMediaType';
  if (code === 'MT_ERR_HTTP_BAD_JSON' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'badJson';
  if (status >= 400 && status < 500) return 'badRequest';
  return undefined;
}
