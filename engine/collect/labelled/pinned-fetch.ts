import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import { allowsAddress, allowsHost, type AllowList } from './address-allowlist.js';

/** dns.lookup with `all: true`: every address a name has (tests pass their own). */
export type LookupAll = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemLookup: LookupAll = (host) => dnsLookup(host, { all: true, verbatim: true });

/** An error shaped like undici's (`cause.code`), so http-get.ts describes it the same way. */
function fetchFailed(message: string, code: string): TypeError {
  const cause = Object.assign(new Error(message), { code });
  return new TypeError('fetch failed', { cause });
}

/**
 * A `fetch` for URLs built from alert labels: every request's host is checked against the allow
 * list, resolved, every resolved address checked, and the socket opened to the checked address
 * itself (the name goes only into `Host` and TLS SNI), so a DNS answer that changes between the
 * check and the connect (rebinding) cannot move the request. Redirects are returned, never
 * followed (node:http does not follow them). GET only; the response is a web Response.
 */
export function pinnedFetch(allow: AllowList, lookup: LookupAll = systemLookup): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const first = allowsHost(allow, host, port);
    if (!first.ok) throw fetchFailed(`refused: ${first.reason}`, 'MT_REFUSED');
    let addresses: { address: string; family: number }[];
    if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
    else {
      try {
        addresses = await lookup(host);
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'ENOTFOUND';
        throw fetchFailed(`${host}: ${code}`, code);
      }
    }
    if (addresses.length === 0) throw fetchFailed(`${host}: no address`, 'ENOTFOUND');
    for (const a of addresses) {
      const v = allowsAddress(allow, host, a.address);
      if (!v.ok) throw fetchFailed(`refused: ${v.reason}`, 'MT_REFUSED');
    }
    const target = addresses[0]!;
    const signal = init?.signal ?? undefined;
    const headers: Record<string, string> = { host: url.host };
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    return new Promise<Response>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        {
          host: target.address,
          family: target.family,
          port,
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers,
          agent: false,
          ...(isIP(host) ? {} : { servername: host }),
          ...(signal ? { signal } : {}),
        },
        (res) => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (v === undefined) continue;
            for (const one of Array.isArray(v) ? v : [v]) h.append(k, one);
          }
          const status = res.statusCode ?? 502;
          const nullBody = status === 204 || status === 304 || status < 200;
          if (nullBody) res.resume();
          resolve(
            new Response(nullBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
              status: Math.max(200, Math.min(599, status)),
              statusText: res.statusMessage ?? '',
              headers: h,
            }),
          );
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (signal?.aborted) reject(signal.reason instanceof Error ? signal.reason : err);
        else reject(fetchFailed(err.message, err.code ?? 'ECONNRESET'));
      });
      req.end();
    });
  };
}
