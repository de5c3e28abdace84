import {
  alertmanagerSilenceUrl,
  incidentPageUrl,
  type IncidentLinks,
} from '../../runbook/links/incident-links.js';
import type { Runbook } from '../../runbook/types.js';
import type { IncidentRecord } from '../../store/types.js';
import { strings } from './incident-labels.js';

/**
 * The links every notification of an incident carries: its page (when `server.externalUrl` is
 * set) and, for Alertmanager, a silence for the group (its common labels, else the first alert's)
 * on the Alertmanager that sent it (`externalURL` of the payload).
 */
export function incidentLinks(
  incident: Pick<IncidentRecord, 'id' | 'source' | 'payload'>,
  externalUrl: URL | undefined,
): IncidentLinks {
  const links: IncidentLinks = {};
  if (externalUrl) links.incidentUrl = incidentPageUrl(externalUrl, incident.id);
  if (incident.source === 'alertmanager') {
    const p = (incident.payload ?? {}) as Record<string, unknown>;
    const common = strings(p['commonLabels']);
    const first = (Array.isArray(p['alerts']) ? p['alerts'][0] : undefined) as
      Record<string, unknown> | undefined;
    const labels = Object.keys(common).length > 0 ? common : strings(first?.['labels']);
    const silence = alertmanagerSilenceUrl(p['externalURL'], labels);
    if (silence !== undefined) links.silenceUrl = silence;
  }
  return links;
}

export function withIncidentLinks(rb: Runbook, links: IncidentLinks): Runbook {
  return { ...rb, ...links };
}
