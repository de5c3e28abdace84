import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackRequest {
  method: string;
  authorization?: string;
  contentType?: string;
  params: Record<string, string>;
  blocks?: unknown[];
  /** The path segment before `/api/` (`/r2/api/…` → `r2`): which client sent it, when several share the fake. */
  via?: string;
  /** The `ts` the fake answered a chat.postMessage with. */
  ts?: string;
}

type Scripted = { status: number; headers?: Record<string, string>; body?: unknown } | 'hang';

/**
 * A local server speaking enough of the Slack Web API for chat.postMessage and chat.update:
 * form-encoded bodies (blocks JSON-stringified in one field, as @slack/web-api 8 sends them),
 * `ts` per message, and scripted failures (429 + Retry-After, 500, ok:false errors, hangs).
 */
export async function startSlackFake() {
  const requests: SlackRequest[] = [];
  const script: Scripted[] = [];
  let seq = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const path = /^(?:\/([\w-]+))?\/api\/(.*)$/.exec(req.url ?? '');
      const method = path?.[2] ?? req.url ?? '';
      const entry: SlackRequest = {
        method,
        ...(path?.[1] ? { via: path[1] } : {}),
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        params,
        ...(params.blocks ? { blocks: JSON.parse(params.blocks) as unknown[] } : {}),
      };
      requests.push(entry);
      const next = script.shift();
      if (next === 'hang') return;
      if (next) {
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
        return res.end(JSON.stringify(next.body ?? { ok: false, error: 'scripted' }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      if (method === 'chat.postMessage') {
        const ts = `1764120000.${String(++seq).padStart(6, '0')}`;
        entry.ts = ts;
        return res.end(JSON.stringify({ ok: true, channel: params.channel, ts, message: { ts } }));
      }
      if (method === 'chat.update')
        return res.end(JSON.stringify({ ok: true, channel: params.channel, ts: params.ts }));
      res.end(JSON.stringify({ ok: false, error: 'unknown_method' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    /** The same fake under `/<via>/api/`, so requests say which client sent them. */
    urlVia: (via: string) => `http://127.0.0.1:${port}/${via}/api/`,
    requests,
    script,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
