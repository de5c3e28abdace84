import type { Runbook } from '../types.js';
import { MAX_LINK_CHARS, safeHttpUrl, serializeUrl } from './http-url.js';

/** Where a notification links to, beside the runbook itself. Every URL is absolute http(s). */
export interface IncidentLinks {
  /** The incident's page on this memtriage. */
  incidentUrl?: string;
  /** Alertmanager's new-silence form, pre-filled with the alert's labels. */
  silenceUrl?: string;
}

/**
 * `<externalUrl>/incidents/<id>`: built from the configured URL and the incident id (path-encoded)
 * only, never from anything an alert sent. A path prefix (`https://ops.example/memtriage/`) is kept.
 */
export function incidentPageUrl(externalUrl: URL, incidentId: string): string {
  const base = new URL(externalUrl.href);
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return serializeUrl(new URL(`incidents/${encodeURIComponent(incidentId)}`, base));
}

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A matcher value in Alertmanager's syntax: double-quoted, with `\`, `"` and newlines escaped. */
function quoteMatcherValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * Alertmanager's "new silence" form for these labels (`<externalURL>/#/silences/new?filter={…}`),
 * the link its own UI puts on an alert. `externalURL` comes from the webhook payload, so it must
 * parse as http(s); the matchers are one URI component. Labels whose name Alertmanager would refuse
 * are left out; a URL past the link limit is not offered.
 */
export function alertmanagerSilenceUrl(
  externalURL: unknown,
  labels: Readonly<Record<string, string>>,
): string | undefined {
  const base = safeHttpUrl(externalURL);
  if (base === undefined) return undefined;
  const matchers = Object.entries(labels)
    .filter(([k]) => LABEL_NAME.test(k))
    .map(([k, v]) => `${k}=${quoteMatcherValue(v)}`);
  if (matchers.length === 0) return undefined;
  const url = new URL(base);
  url.search = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.hash = `/silences/new?filter=${encodeURIComponent(`{${matchers.join(',')}}`)}`;
  const href = serializeUrl(url);
  return href.length <= MAX_LINK_CHARS ? href : undefined;
}

/** The runbook's links, in the order every channel shows them: [label, absolute http(s) URL]. */
export function runbookLinks(rb: Runbook): [string, string][] {
  const out: [string, string | undefined][] = [
    ['Incident page', rb.incidentUrl],
    ['Alert source', rb.generatorURL],
    ['Silence in Alertmanager', rb.silenceUrl],
  ];
  return out.filter((l): l is [string, string] => l[1] !== undefined && /^https?:\/\//i.test(l[1]));
}
