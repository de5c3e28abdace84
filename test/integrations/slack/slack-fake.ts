import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackRequest {
  method: string;
  authorization?: string;
  contentType?: string;
  params: Record<string, string>;
  blocks?: unknown[];
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
      const method = (req.url ?? '').replace(/^\/api\//, '');
      requests.push({
        method,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        params,
        ...(params.blocks ? { blocks: JSON.parse(params.blocks) as unknown[] } : {}),
      });
      const next = script.shift();
      if (next === 'hang') return;
      if (next) {
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
        return res.end(JSON.stringify(next.body ?? { ok: false, error: 'scripted' }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      if (method === 'chat.postMessage') {
        const ts = `1764120000.${String(++seq).padStart(6, '0')}`;
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
    requests,
    script,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
