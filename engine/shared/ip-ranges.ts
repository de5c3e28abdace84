import { BlockList, isIP } from 'node:net';

/** One address (`10.0.0.5`, `::1`) or network (`10.42.0.0/16`, `fd00::/8`) from the config. */
export interface IpRange {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

export type ParsedIpRange = { ok: true; range: IpRange } | { ok: false; message: string };

/** `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or `addr/n`; anything else (a host name) is refused. */
export function parseIpRange(text: string): ParsedIpRange {
  const slash = text.indexOf('/');
  const address = (slash < 0 ? text : text.slice(0, slash)).trim();
  const version = isIP(address);
  if (version === 0) {
    return {
      ok: false,
      message: `"${text}" is not an IP address or CIDR range (host names are not allowed)`,
    };
  }
  const max = version === 4 ? 32 : 128;
  const prefixText = slash < 0 ? String(max) : text.slice(slash + 1).trim();
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= max)) {
    return { ok: false, message: `"${text}": the prefix length must be 0–${max}` };
  }
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (prefix === 0 || (family === 'ipv6' && prefix <= 96 && coversEveryIpv4(address, prefix))) {
    return {
      ok: false,
      message: `"${text}" admits every ${prefix === 0 ? '' : 'IPv4 '}address; name the proxy's addresses`,
    };
  }
  return { ok: true, range: { address, prefix, family } };
}

/** An IPv6 range holding all of ::ffff:0.0.0.0/96: IPv4 peers on a dual-stack socket are all in it. */
function coversEveryIpv4(address: string, prefix: number): boolean {
  const list = new BlockList();
  list.addSubnet(address, prefix, 'ipv6');
  return list.check('::ffff:0.0.0.0', 'ipv6') && list.check('::ffff:255.255.255.255', 'ipv6');
}

/** `::ffff:10.0.0.5` (an IPv4 client on a dual-stack socket) → `10.0.0.5`. */
export function unmapIpv4(address: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return m?.[1] ?? address;
}

/** Whether an address (a socket's remoteAddress) lies in any of the ranges. */
export function ipRangeMatcher(ranges: readonly IpRange[]): (address: string | undefined) => boolean {
  const list = new BlockList();
  for (const r of ranges) list.addSubnet(r.address, r.prefix, r.family);
  return (address) => {
    if (address === undefined) return false;
    const a = unmapIpv4(address);
    const version = isIP(a);
    return version !== 0 && list.check(a, version === 4 ? 'ipv4' : 'ipv6');
  };
}
