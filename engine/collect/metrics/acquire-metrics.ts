import { httpGet } from '../http/http-get.js';
import { endpointUrl } from '../target-url.js';
import type { AcquireContext, AcquireResult } from '../types.js';

/**
 * Asks for the text exposition format explicitly: client_golang negotiates protobuf or
 * OpenMetrics from the Accept header (prometheus/common expfmt.Negotiate), and the bundle
 * stores Prometheus text.
 */
const ACCEPT_TEXT = 'text/plain;version=0.0.4;q=1,*/*;q=0.1';

/**
 * `GET /metrics`, optional: many Go services expose no Prometheus endpoint, so a 404 is the
 * status `absent` with a note, not a warning. The caller can stop asking after that.
 */
export async function acquireMetrics(target: URL, ctx: AcquireContext = {}): Promise<AcquireResult<string>> {
  const res = await httpGet(endpointUrl(target, '/metrics'), { ...ctx, accept: ACCEPT_TEXT });
  if (res.ok) return { status: 'ok', value: res.body.toString('utf8'), warnings: [], notes: [] };
  if (res.stopped) return { status: 'stopped', warnings: [], notes: [] };
  if (res.status === 404) {
    return {
      status: 'absent',
      warnings: [],
      notes: ['metrics: GET /metrics answered 404; no Prometheus endpoint'],
    };
  }
  return { status: 'failed', warnings: [{ source: 'metrics', message: res.message }], notes: [] };
}

/** `go_info{version="go1.22.3"} 1` from client_golang's Go collector, when present. */
export function goVersionFromMetrics(text: string): string | undefined {
  return /^go_info\{[^}]*\bversion="([^"\\]+)"/m.exec(text)?.[1];
}
