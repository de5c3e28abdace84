import { httpGet } from '../http/http-get.js';
import { endpointUrl } from '../target-url.js';
import { DEFAULT_MAX_BYTES, DEFAULT_PROFILE_MAX_BYTES } from '../types.js';
import type { AcquireContext, AcquireResult } from '../types.js';

/**
 * `GET /debug/pprof/heap`: a gzip'd profile.proto (golang/go src/runtime/pprof/pprof.go,
 * writeHeapProto). A 200 that is not gzip (an HTML error page from a catch-all route, a
 * proxy's login page) is refused rather than written as heap.pb.gz.
 */
export async function acquireHeapProfile(
  target: URL,
  ctx: AcquireContext = {},
): Promise<AcquireResult<Buffer>> {
  const res = await httpGet(endpointUrl(target, '/debug/pprof/heap'), {
    ...ctx,
    maxBytes: ctx.maxBytes ?? DEFAULT_PROFILE_MAX_BYTES,
  });
  if (!res.ok) return failed(res.stopped, res.message);
  if (res.body.length < 2 || res.body[0] !== 0x1f || res.body[1] !== 0x8b) {
    return failed(false, `GET /debug/pprof/heap: body is not gzip (${describeStart(res.body)})`);
  }
  return { status: 'ok', value: res.body, warnings: [], notes: [] };
}

/**
 * `GET /debug/pprof/heap?debug=1`: the legacy text form, which ends with the
 * `# runtime.MemStats` section (writeHeapInternal with debug≠0). Kept byte-for-byte.
 */
export async function acquireHeapText(target: URL, ctx: AcquireContext = {}): Promise<AcquireResult<Buffer>> {
  const res = await httpGet(endpointUrl(target, '/debug/pprof/heap', '?debug=1'), {
    ...ctx,
    maxBytes: ctx.maxBytes ?? DEFAULT_MAX_BYTES,
  });
  if (!res.ok) return failed(res.stopped, res.message);
  if (!res.body.subarray(0, 13).toString('latin1').startsWith('heap profile:')) {
    return failed(
      false,
      `GET /debug/pprof/heap?debug=1: not a heap profile text (${describeStart(res.body)})`,
    );
  }
  return { status: 'ok', value: res.body, warnings: [], notes: [] };
}

function failed(stopped: boolean | undefined, message: string): AcquireResult<Buffer> {
  if (stopped) return { status: 'stopped', warnings: [], notes: [] };
  return { status: 'failed', warnings: [{ source: 'pprof', message }], notes: [] };
}

function describeStart(body: Buffer): string {
  if (body.length === 0) return 'empty';
  const head = body
    .subarray(0, 24)
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '.');
  return `${body.length} bytes starting ${JSON.stringify(head)}`;
}
