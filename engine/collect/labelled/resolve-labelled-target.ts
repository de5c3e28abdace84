import { isIP } from 'node:net';
import type { TargetConfig } from '../../config/types.js';
import { allowsAddress, allowsHost } from './address-allowlist.js';
import { expandLabelUrl } from './label-url.js';
import { systemLookup, type LookupAll } from './pinned-fetch.js';

type FromLabels = NonNullable<TargetConfig['goFromLabels']>;

/**
 * The label-built URL when its host passes the allow list without resolving it (for a runbook's
 * commands: the address an engineer may be told to use), else undefined.
 */
export function labelledUrl(t: FromLabels, labels: Readonly<Record<string, string>>): URL | undefined {
  const r = expandLabelUrl(t.template, labels);
  if ('error' in r) return undefined;
  return allowsHost(t.allow, r.host, r.port).ok ? r.url : undefined;
}

/**
 * Before acquisition starts: the URL for these labels, its host allowed, and (for a name) every
 * address it resolves to allowed. A refusal is said once here, as a configuration matter, instead
 * of as a failure of every request (which would read as a service that does not answer). Each
 * request is checked again by pinnedFetch, which connects to the address it checked.
 */
export async function resolveLabelledTarget(
  t: FromLabels,
  labels: Readonly<Record<string, string>>,
  lookup: LookupAll = systemLookup,
): Promise<{ url: URL; port: number } | { error: string }> {
  const r = expandLabelUrl(t.template, labels);
  if ('error' in r) return r;
  const first = allowsHost(t.allow, r.host, r.port);
  if (!first.ok) return { error: `refused: ${first.reason}` };
  if (isIP(r.host)) return { url: r.url, port: r.port };
  let addresses: { address: string }[];
  try {
    addresses = await lookup(r.host);
  } catch (err) {
    return { error: `${r.host} does not resolve (${(err as { code?: string }).code ?? 'error'})` };
  }
  for (const a of addresses) {
    const v = allowsAddress(t.allow, r.host, a.address);
    if (!v.ok) return { error: `refused: ${v.reason}` };
  }
  return { url: r.url, port: r.port };
}
