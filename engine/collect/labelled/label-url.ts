import { isIPv6 } from 'node:net';

/**
 * `go: 'http://{{ labels.instance }}'`: a target URL whose host (and port) come from one alert
 * label. The placeholder is the whole host, or the host with the port after it; scheme, path
 * prefix and (optionally) port are the operator's. The label value is checked to be nothing but
 * a host[:port] before it goes anywhere near a URL parser: no userinfo (`evil@host`), no path,
 * query or fragment (`host/path`), no scheme, no percent-escapes, and IPv4 only in canonical
 * dotted-decimal form (WHATWG URL parsing reads `2130706433`, `0x7f.1` and `017700000001` as
 * 127.0.0.1).
 */
export interface LabelUrlTemplate {
  readonly raw: string;
  readonly label: string;
  /** Text before and after the placeholder. */
  readonly before: string;
  readonly after: string;
  /** The template gives the port (`{{ labels.pod_ip }}:6060`); the label must not. */
  readonly templatePort: boolean;
}

const PLACEHOLDER = /\{\{\s*labels\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function isLabelTemplate(raw: string): boolean {
  return raw.includes('{{');
}

/** Parses a templated URL; a string is the problem with it. */
export function parseLabelUrlTemplate(raw: string): LabelUrlTemplate | string {
  const found = [...raw.matchAll(PLACEHOLDER)];
  if (found.length !== 1 || raw.replace(PLACEHOLDER, '').includes('{{')) {
    return 'a target URL may hold exactly one placeholder, written {{ labels.NAME }}';
  }
  const m = found[0]!;
  const before = raw.slice(0, m.index);
  const after = raw.slice(m.index! + m[0].length);
  if (!/^https?:\/\/$/.test(before)) {
    return 'the placeholder must be the host, right after http:// or https://';
  }
  const port = /^:(\d{1,5})(?=\/|$)/.exec(after);
  if (port && !(Number(port[1]) >= 1 && Number(port[1]) <= 65535)) return 'port out of range';
  const rest = port ? after.slice(port[0].length) : after;
  if (rest !== '' && !/^(\/[A-Za-z0-9._~-]+)+\/?$/.test(rest)) {
    return 'after the host only :PORT and a plain path prefix (/admin) may follow';
  }
  return { raw, label: m[1]!, before, after, templatePort: port !== null };
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const CANONICAL_V4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

/** A label value as host and port; a string is why it is refused. */
export function parseLabelHost(
  value: string,
  templatePort: boolean,
): { host: string; authority: string; port?: number } | string {
  if (value.length === 0) return 'the label is empty';
  if (value.length > 262 || !/^[A-Za-z0-9.:[\]-]+$/.test(value)) {
    return 'not a host[:port] (only letters, digits, ".", "-", ":" and [IPv6] are allowed)';
  }
  let host: string;
  let port: string | undefined;
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(value);
  if (v6) {
    if (!isIPv6(v6[1]!)) return 'not an IPv6 address in brackets';
    host = `[${v6[1]!.toLowerCase()}]`;
    port = v6[2];
  } else {
    const parts = value.split(':');
    if (parts.length > 2) return 'more than one ":" (an IPv6 address needs [brackets])';
    host = parts[0]!.toLowerCase();
    port = parts[1];
    const labels = host.split('.');
    const last = labels[labels.length - 1]!;
    if (/^[0-9.]+$/.test(host) || /^(0x[0-9a-f]*|[0-9]+)$/i.test(last)) {
      if (!CANONICAL_V4.test(host)) {
        return 'not a canonical IPv4 address (write a.b.c.d in decimal; other forms are refused)';
      }
    } else if (host.length > 253 || !labels.every((l) => DNS_LABEL.test(l))) {
      return 'not a host name';
    }
  }
  if (port !== undefined) {
    if (templatePort) return 'the URL already gives the port; the label must be a host only';
    if (!/^[1-9][0-9]{0,4}$/.test(port) || Number(port) > 65535) return 'not a port';
  } else if (!templatePort) {
    return 'no port: the label must be host:port, or the URL must give the port';
  }
  return {
    host,
    authority: port !== undefined ? `${host}:${port}` : host,
    ...(port !== undefined ? { port: Number(port) } : {}),
  };
}

/**
 * The URL for these labels, or why not. The result is re-checked after parsing: the host and
 * port the URL parser saw must be the ones validated.
 */
export function expandLabelUrl(
  t: LabelUrlTemplate,
  labels: Readonly<Record<string, string>>,
): { url: URL; host: string; port: number } | { error: string } {
  const value = labels[t.label];
  const shown = (v: string) => JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
  if (value === undefined) return { error: `the alert has no label ${t.label}` };
  const h = parseLabelHost(value, t.templatePort);
  if (typeof h === 'string') return { error: `label ${t.label}=${shown(value)} refused: ${h}` };
  let url: URL;
  try {
    url = new URL(`${t.before}${h.authority}${t.after}`);
  } catch {
    return { error: `label ${t.label}=${shown(value)} refused: not a URL host` };
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (url.hostname !== h.host || url.username !== '' || url.password !== '' || url.search || url.hash) {
    return { error: `label ${t.label}=${shown(value)} refused: the URL parser read another host` };
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return { url, host: h.host.replace(/^\[(.*)\]$/, '$1'), port };
}
