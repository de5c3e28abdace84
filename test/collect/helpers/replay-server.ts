import { createServer } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A real captured bundle, replayed as the live service it was captured from. */
export const MAP_LEAK = 'examples/incidents/pub-map-leak';

export interface Captured {
  /** The compact `vars` JSON of each memstats.jsonl line, byte-for-byte as stored. */
  vars: string[];
  heapPb: Buffer;
  heapTxt: Buffer;
  /** pprof/<ts>.pb.gz in time order. */
  series: Buffer[];
}

export function loadCaptured(bundle = MAP_LEAK): Captured {
  const lines = readFileSync(join(bundle, 'memstats.jsonl'), 'utf8').split('\n').filter(Boolean);
  const vars = lines.map((l) => {
    const m = /^\{"ts":\d+,"vars":(.*)\}$/.exec(l);
    if (!m?.[1]) throw new Error(`unexpected memstats line ${l.slice(0, 40)}`);
    return m[1];
  });
  const names = readdirSync(join(bundle, 'pprof')).sort();
  return {
    vars,
    heapPb: readFileSync(join(bundle, 'heap.pb.gz')),
    heapTxt: readFileSync(join(bundle, 'heap.txt')),
    series: names.map((n) => readFileSync(join(bundle, 'pprof', n))),
  };
}

/**
 * Formats compact vars the way Go's expvar handler writes them (src/expvar/expvar.go
 * expvarHandler: "{\n", members as `%q: %s` joined by ",\n", "\n}\n"), so the collector
 * sees the real wire shape and must compact it back.
 */
export function asExpvarBody(compact: string): string {
  const members: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 1;
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) members.push(compact.slice(start, i));
    } else if (c === ',' && depth === 1) {
      members.push(compact.slice(start, i));
      start = i + 1;
    }
  }
  const spaced = members.map((m) => m.replace(/^("(?:[^"\\]|\\.)*"):/, '$1: '));
  return `{\n${spaced.join(',\n')}\n}\n`;
}

export interface ReplayOptions {
  /** Never answer anything (headers never sent). */
  hang?: boolean;
  /** /debug/vars request indexes (0-based) answered with a garbage body. */
  garbageVarsAt?: number[];
  /** Body for /metrics; 404 when absent. */
  metrics?: string;
  /** Serve pprof/<ts>.pb.gz in order on /debug/pprof/heap (the last one repeats). */
  pprofSeries?: boolean;
  /** Delay before every answer (ms). */
  delayMs?: number;
  /** Loopback address to listen on (127.0.0.2 plays a second host); default 127.0.0.1. */
  host?: string;
  /** Answer every request with a redirect to this URL. */
  redirectTo?: string;
  /** Paths answered 404 (a service without net/http/pprof mounted: `/debug/pprof/heap`). */
  notFound?: string[];
}

export const GARBAGE_VARS = '<html><body>502 Bad Gateway</body></html>\n';

export interface ReplayServer {
  url: string;
  /** What was served, in order. */
  served: { vars: string[]; profiles: Buffer[]; heapText: Buffer[] };
  requests: string[];
  close(): Promise<void>;
}

export async function startReplayServer(cap: Captured, o: ReplayOptions = {}): Promise<ReplayServer> {
  const served: ReplayServer['served'] = { vars: [], profiles: [], heapText: [] };
  const requests: string[] = [];
  let varsIndex = 0;
  let profileIndex = 0;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/debug/vars') {
      const i = varsIndex++;
      const body = o.garbageVarsAt?.includes(i)
        ? GARBAGE_VARS
        : asExpvarBody(cap.vars[i % cap.vars.length] ?? '');
      served.vars.push(body);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    } else if (url.pathname === '/debug/pprof/heap' && url.searchParams.get('debug') === '1') {
      served.heapText.push(cap.heapTxt);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(cap.heapTxt);
    } else if (url.pathname === '/debug/pprof/heap') {
      const body = o.pprofSeries
        ? (cap.series[Math.min(profileIndex++, cap.series.length - 1)] ?? cap.heapPb)
        : cap.heapPb;
      served.profiles.push(body);
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    } else if (url.pathname === '/metrics' && o.metrics !== undefined) {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(o.metrics);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
    }
  };
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (o.hang) return;
    if (o.notFound?.includes(new URL(req.url ?? '/', 'http://x').pathname)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    if (o.redirectTo !== undefined) {
      res.writeHead(302, { location: o.redirectTo }).end();
      return;
    }
    if (o.delayMs) setTimeout(() => handle(req, res), o.delayMs);
    else handle(req, res);
  });
  const host = o.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    served,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
