import { isIP, isIPv4 } from 'node:net';

/**
 * Where a target URL built from alert labels may connect (docs/config.md, "Targets from alert
 * labels"). An entry is a CIDR (`10.0.0.0/8`, `fd00::/8`: any port at those addresses) or a
 * `host:port` pattern (`*.checkout.svc.cluster.local:6060`, `10.1.2.3:*`, `[fd00::5]:6060`; `*`
 * in a name stands for any run of letters, digits and `-` within one DNS label).
 *
 * A label naming an IP address is allowed when the address is in a CIDR entry or is the address
 * of a pattern with a matching port. A label naming a host is allowed when a pattern matches the
 * name and port, and then every address it resolves to must be inside a CIDR entry — or, when the
 * list has no CIDR, outside the special-purpose ranges (loopback, link-local and the cloud
 * metadata addresses, unspecified, multicast; also as the IPv4 address of a NAT64 64:ff9b::/96
 * address): a name never takes a request where no entry said
 * it may go.
 */
export interface AllowList {
  readonly cidrs: readonly Cidr[];
  readonly patterns: readonly HostPattern[];
}

interface Cidr {
  readonly text: string;
  readonly family: 4 | 6;
  readonly bits: bigint;
  readonly prefix: number;
}

interface HostPattern {
  readonly text: string;
  /** An IP address, compared exactly (normalised). */
  readonly ip?: { family: 4 | 6; bits: bigint };
  /** A DNS name pattern (lowercase). */
  readonly name?: RegExp;
  /** undefined: any port. */
  readonly port?: number;
}

const SPECIAL = [
  '0.0.0.0/8',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '168.63.129.16/32',
  '100.100.100.200/32',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/128',
  '::1/128',
  'fe80::/10',
  'ff00::/8',
  'fd00:ec2::254/128',
].map((c) => parseCidr(c) as Cidr);

/** NAT64's well-known prefix (RFC 6052): a translator forwards 64:ff9b::a.b.c.d to a.b.c.d. */
const NAT64 = parseCidr('64:ff9b::/96') as Cidr;

/** In a special-purpose range, directly or as the IPv4 address a NAT64 address embeds. */
function isSpecial(a: { family: 4 | 6; bits: bigint }): boolean {
  if (SPECIAL.some((c) => inCidr(a, c))) return true;
  return inCidr(a, NAT64) && SPECIAL.some((c) => inCidr({ family: 4, bits: a.bits & 0xffffffffn }, c));
}

/** Parses the entries; a bad entry is a message for its index. */
export function parseAllowList(entries: readonly string[]): {
  list: AllowList;
  problems: [number, string][];
} {
  const cidrs: Cidr[] = [];
  const patterns: HostPattern[] = [];
  const problems: [number, string][] = [];
  entries.forEach((raw, i) => {
    const e = raw.trim();
    if (e.includes('/') && !e.startsWith('[')) {
      const c = parseCidr(e);
      if (typeof c === 'string') problems.push([i, c]);
      else cidrs.push(c);
      return;
    }
    const p = parsePattern(e);
    if (typeof p === 'string') problems.push([i, p]);
    else patterns.push(p);
  });
  return { list: { cidrs, patterns }, problems };
}

function parseCidr(text: string): Cidr | string {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  const addr = m ? ipBits(m[1]!) : undefined;
  if (!m || !addr) return `"${text}" is not a CIDR (address/prefix, e.g. 10.0.0.0/8 or fd00::/8)`;
  const prefix = Number(m[2]);
  const width = addr.family === 4 ? 32 : 128;
  if (prefix > width) return `"${text}": the prefix is longer than ${width} bits`;
  if (prefix === 0) return `"${text}" allows every address; name the networks the targets are in`;
  return { text, family: addr.family, bits: addr.bits, prefix };
}

function parsePattern(text: string): HostPattern | string {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5}|\*)$/.exec(text);
  if (!m) {
    return `"${text}" is neither a CIDR nor host:port (a port or * is required: host:6060, host:*)`;
  }
  const host = m[1]!.replace(/^\[(.*)\]$/, '$1');
  const port = m[2] === '*' ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return `"${text}": port out of range`;
  const ip = ipBits(host);
  if (ip) return { text, ip, ...(port !== undefined ? { port } : {}) };
  if (isIP(host) === 0 && /^[\d.]+$/.test(host)) return `"${text}": not a canonical IPv4 address`;
  if (!/^[a-z0-9*]([a-z0-9*-]*[a-z0-9*])?(\.[a-z0-9*]([a-z0-9*-]*[a-z0-9*])?)*$/i.test(host)) {
    return `"${text}": not a host name pattern (letters, digits, -, . and *)`;
  }
  if (host.split('.').every((l) => l === '*')) return `"${text}" allows every host; name the domain`;
  const source = host
    .toLowerCase()
    .split('*')
    .map((s) => s.replace(/[.-]/g, '\\$&'))
    .join('[a-z0-9-]*');
  return { text, name: new RegExp(`^${source}$`), ...(port !== undefined ? { port } : {}) };
}

/** An address as a number, IPv4-mapped IPv6 (`::ffff:a.b.c.d`) as the IPv4 address it is. */
export function ipBits(text: string): { family: 4 | 6; bits: bigint } | undefined {
  if (isIPv4(text)) {
    return { family: 4, bits: text.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n) };
  }
  if (isIP(text) !== 6) return undefined;
  let s = text.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const b = ipBits(v4[1]!)!.bits;
    s = s.slice(0, -v4[1]!.length) + `${(b >> 16n).toString(16)}:${(b & 0xffffn).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const bits = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
  if (bits >> 32n === 0xffffn) return { family: 4, bits: bits & 0xffffffffn };
  return { family: 6, bits };
}

function inCidr(a: { family: 4 | 6; bits: bigint }, c: Cidr): boolean {
  if (a.family !== c.family) return false;
  const shift = BigInt((c.family === 4 ? 32 : 128) - c.prefix);
  return a.bits >> shift === c.bits >> shift;
}

/** Refusal reasons name the entry list, never echo more than the host. */
export type Verdict = { ok: true } | { ok: false; reason: string };

/** The first check, before any DNS: may this host (IP literal or name) and port be asked at all? */
export function allowsHost(list: AllowList, host: string, port: number): Verdict {
  const ip = ipBits(host);
  if (ip) {
    if (list.cidrs.some((c) => inCidr(ip, c))) return { ok: true };
    const hit = list.patterns.some(
      (p) => p.ip && p.ip.family === ip.family && p.ip.bits === ip.bits && portOk(p, port),
    );
    return hit ? { ok: true } : { ok: false, reason: `${host} is not in the target's allow list` };
  }
  const name = host.toLowerCase();
  const hit = list.patterns.some((p) => p.name?.test(name) && portOk(p, port));
  return hit
    ? { ok: true }
    : { ok: false, reason: `${name}:${port} matches no host:port pattern of the target's allow list` };
}

/**
 * The second check, after DNS: every address a name resolved to. An IP literal was decided by
 * allowsHost; its own address passes here.
 */
export function allowsAddress(list: AllowList, host: string, address: string): Verdict {
  const a = ipBits(address);
  if (!a) return { ok: false, reason: `${host} resolved to ${address}, not an address` };
  if (ipBits(host)) return { ok: true };
  if (list.cidrs.length > 0) {
    return list.cidrs.some((c) => inCidr(a, c))
      ? { ok: true }
      : { ok: false, reason: `${host} resolved to ${address}, outside the allow list's CIDRs` };
  }
  return isSpecial(a)
    ? { ok: false, reason: `${host} resolved to ${address}, a loopback, link-local or metadata address` }
    : { ok: true };
}

function portOk(p: HostPattern, port: number): boolean {
  return p.port === undefined || p.port === port;
}
