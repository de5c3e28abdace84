import { httpGet } from '../http/http-get.js';
import { endpointUrl } from '../target-url.js';
import type { AcquireContext, AcquireResult } from '../types.js';

/**
 * `GET /debug/vars` from Go's expvar package (golang/go src/expvar/expvar.go): one JSON
 * object with `cmdline`, `memstats` (json.Marshal of runtime.MemStats) and any user vars.
 * Returns the body text untouched; the bundle writer validates and compacts it.
 */
export async function acquireExpvar(target: URL, ctx: AcquireContext = {}): Promise<AcquireResult<string>> {
  const res = await httpGet(endpointUrl(target, '/debug/vars'), { ...ctx, accept: 'application/json' });
  if (!res.ok) {
    if (res.stopped) return { status: 'stopped', warnings: [], notes: [] };
    const hint = res.status === 404 ? ' (is expvar imported and its handler mounted?)' : '';
    return { status: 'failed', warnings: [{ source: 'expvar', message: res.message + hint }], notes: [] };
  }
  return { status: 'ok', value: res.body.toString('utf8'), warnings: [], notes: [] };
}

/** expvar `cmdline` (os.Args), when the body is JSON and has it. Used for meta.json hints only. */
export function expvarCmdline(varsText: string): string[] | undefined {
  try {
    const vars = JSON.parse(varsText) as { cmdline?: unknown };
    const cmd = vars.cmdline;
    return Array.isArray(cmd) && cmd.every((a) => typeof a === 'string') ? cmd : undefined;
  } catch {
    return undefined;
  }
}
