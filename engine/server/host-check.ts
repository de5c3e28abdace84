import { isIP } from 'node:net';
import type { ServerConfig } from '../config/types.js';

/** 127.0.0.0/8, ::1 and `localhost`: only this machine can connect. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** `Host` header → lower-case host name without port or IPv6 brackets; undefined when unreadable. */
export function hostName(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? undefined : h.slice(1, end);
  }
  const colon = h.indexOf(':');
  return (colon < 0 ? h : h.slice(0, colon)).replace(/\.$/, '');
}

/**
 * The `Host` check against DNS rebinding: a browser that loaded a page from evil.example, whose
 * name was then re-pointed at this server, sends `Host: evil.example`. Accepted: IP literals (a
 * page served from an IP address is that address's own origin, so nothing is rebound),
 * `localhost`, the listen address, the host of `server.externalUrl` and `server.allowedHosts`
 * (`*` accepts any).
 */
export function createHostCheck(config: ServerConfig): (header: string | undefined) => boolean {
  const names = new Set<string>(['localhost']);
  const listen = config.server.host.toLowerCase();
  if (listen !== '' && isIP(listen) === 0) names.add(listen);
  if (config.server.externalUrl) names.add(config.server.externalUrl.hostname.replace(/^\[|\]$/g, ''));
  for (const h of config.server.allowedHosts) names.add(h.toLowerCase().replace(/\.$/, ''));
  const any = names.has('*');
  return (header) => {
    if (any) return true;
    const h = hostName(header);
    if (h === undefined) return false;
    return isIP(h) !== 0 || names.has(h) || h.endsWith('.localhost');
  };
}
