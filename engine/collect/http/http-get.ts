import { redactUserinfo } from '../redact-url.js';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from '../types.js';
import type { AcquireContext } from '../types.js';

export type HttpGetResult =
  | { ok: true; status: number; body: Buffer; contentType?: string }
  | {
      ok: false;
      /** The HTTP status when the server answered with something other than 200. */
      status?: number;
      message: string;
      /** True when the caller's signal stopped the request (not a failure of the target). */
      stopped?: boolean;
    };

/**
 * GET one URL with a deadline over headers *and* body, and a body size cap enforced while
 * streaming (a lying or absent Content-Length cannot make us buffer more than the cap).
 * Redirects are not followed: the target comes from configuration, and a redirect must not
 * take a request elsewhere (docs/architecture.md, "Never fetch a URL that came from an alert").
 * Never throws.
 */
export async function httpGet(url: URL, ctx: AcquireContext & { accept?: string }): Promise<HttpGetResult> {
  const timeoutMs = ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = ctx.maxBytes ?? DEFAULT_MAX_BYTES;
  const doFetch = ctx.fetch ?? fetch;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, deadline]) : deadline;
  const what = `GET ${url.pathname}${url.search}`;
  if (ctx.signal?.aborted) return { ok: false, message: `${what}: stopped`, stopped: true };
  try {
    const headers: Record<string, string> = {};
    if (ctx.accept) headers.accept = ctx.accept;
    const res = await doFetch(url, { signal, redirect: 'manual', headers });
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, status: res.status, message: `${what}: HTTP ${res.status}` };
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, message: `${what}: body of ${declared} bytes is over the ${maxBytes}-byte cap` };
    }
    const body = await readCapped(res, maxBytes);
    if (body === undefined) {
      return { ok: false, message: `${what}: body is over the ${maxBytes}-byte cap` };
    }
    const contentType = res.headers.get('content-type') ?? undefined;
    return { ok: true, status: res.status, body, contentType };
  } catch (err) {
    if (ctx.signal?.aborted) return { ok: false, message: `${what}: stopped`, stopped: true };
    if (deadline.aborted) return { ok: false, message: `${what}: no answer within ${timeoutMs} ms` };
    // undici names the whole URL in some errors ("… includes credentials: http://u:p@…").
    return { ok: false, message: `${what}: ${redactUserinfo(describeFetchError(err))}` };
  }
}

/** Reads the body, or returns undefined (and cancels the stream) once it passes the cap. */
async function readCapped(res: Response, maxBytes: number): Promise<Buffer | undefined> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** undici hides the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function describeFetchError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause && typeof cause.code === 'string') {
    return `${typeof cause.message === 'string' ? cause.message : err.message} (${cause.code})`;
  }
  if (cause && typeof cause.message === 'string') return cause.message;
  return err.message;
}
