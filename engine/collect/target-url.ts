import { InputError } from '../errors.js';
import { redactUserinfo } from './redact-url.js';

/**
 * Parses a `--target` value: `http(s)://host:port` with an optional path prefix (for services
 * that mount their debug handlers under e.g. `/admin`). The port must be written out: a
 * missing port is almost always a typo for the debug port, not a wish for :80. Credentials,
 * query strings and fragments are refused, since endpoints are appended to the path.
 */
export function parseTargetUrl(raw: string): URL {
  const bad = (why: string) =>
    new InputError(
      'MT_ERR_COLLECT_TARGET_INVALID',
      `--target ${JSON.stringify(redactUserinfo(raw))}: ${why}`,
    );
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad('not a URL; expected http://HOST:PORT');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw bad(`scheme ${url.protocol.replace(/:$/, '')} is not supported; use http or https`);
  }
  if (url.username || url.password) throw bad('credentials in the URL are not supported');
  if (!url.hostname) throw bad('no host');
  if (url.search || url.hash || raw.includes('?') || raw.includes('#')) {
    throw bad('no query string or fragment allowed');
  }
  // URL drops a default port (:80 for http), so look at the authority as written.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(raw)?.[1] ?? '';
  if (!/:\d+$/.test(authority)) throw bad('the port is required (http://HOST:PORT)');
  const port = Number(/:(\d+)$/.exec(authority)?.[1]);
  if (!(port >= 1 && port <= 65535)) throw bad('port out of range');
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** `base` + an endpoint path, keeping the base's path prefix. */
export function endpointUrl(base: URL, path: string, search = ''): URL {
  const url = new URL(base.href);
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  url.search = search;
  return url;
}
