import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { httpGet } from '../../../engine/collect/http/http-get.js';
import type { AddressInfo } from 'node:net';
import type { RequestListener, Server } from 'node:http';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

async function serve(handler: RequestListener): Promise<URL> {
  server = createServer(handler);
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
}

describe('httpGet', () => {
  it('returns the body bytes and the content type', async () => {
    const url = await serve((_q, s) =>
      s.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}'),
    );
    const res = await httpGet(url, { timeoutMs: 2000 });
    expect(res.ok && res.body.toString()).toBe('{"a":1}');
    expect(res.ok && res.contentType).toBe('application/json');
  });

  it('caps the body by Content-Length and, without one, while streaming', async () => {
    const url = await serve((q, s) => {
      if (q.url === '/declared') s.writeHead(200, { 'content-length': '2048' }).end('y'.repeat(2048));
      else {
        s.writeHead(200); // chunked, no length: the cap has to be enforced on the stream
        for (let i = 0; i < 64; i++) s.write('z'.repeat(1024));
        s.end();
      }
    });
    const declared = await httpGet(new URL('/declared', url), { maxBytes: 1024 });
    expect(declared).toEqual({
      ok: false,
      message: 'GET /declared: body of 2048 bytes is over the 1024-byte cap',
    });
    const streamed = await httpGet(url, { maxBytes: 10_000 });
    expect(streamed).toEqual({ ok: false, message: 'GET /x: body is over the 10000-byte cap' });
    expect((await httpGet(url, { maxBytes: 65_536 })).ok).toBe(true);
  });

  it('times out a server that never answers, and one that stalls mid-body', async () => {
    const url = await serve((q, s) => {
      if (q.url === '/stall') {
        s.writeHead(200);
        s.write('partial');
      }
    });
    const t0 = Date.now();
    expect(await httpGet(url, { timeoutMs: 200 })).toEqual({
      ok: false,
      message: 'GET /x: no answer within 200 ms',
    });
    expect(await httpGet(new URL('/stall', url), { timeoutMs: 200 })).toEqual({
      ok: false,
      message: 'GET /stall: no answer within 200 ms',
    });
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('tells a stop by the caller apart from a timeout', async () => {
    const url = await serve(() => undefined);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    expect(await httpGet(url, { timeoutMs: 5000, signal: ac.signal })).toEqual({
      ok: false,
      message: 'GET /x: stopped',
      stopped: true,
    });
  });

  it('reports non-200 statuses and does not follow redirects', async () => {
    const url = await serve((q, s) => {
      if (q.url === '/x') s.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
      else s.writeHead(500).end('boom');
    });
    expect(await httpGet(url, {})).toEqual({ ok: false, status: 302, message: 'GET /x: HTTP 302' });
    expect(await httpGet(new URL('/y', url), {})).toEqual({
      ok: false,
      status: 500,
      message: 'GET /y: HTTP 500',
    });
  });

  it('names the socket error when nothing listens', async () => {
    const url = await serve(() => undefined);
    server?.close();
    server = undefined;
    const res = await httpGet(url, { timeoutMs: 2000 });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.message).toMatch(/^GET \/x: .*ECONNREFUSED/);
  });
});
