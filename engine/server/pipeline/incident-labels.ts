import type { IncidentRecord } from '../../store/types.js';

/** The string-valued entries of an object (labels, annotations); anything else is dropped. */
export function strings(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * The labels that route an incident and select its acquisition target: for Alertmanager the
 * group's common labels overlaid with the incident's alert's (an incident holds one alert of its
 * group, see dedup-key.ts), for the generic webhook the alert's.
 */
export function incidentLabels(incident: Pick<IncidentRecord, 'source' | 'payload'>): Record<string, string> {
  const p = (incident.payload ?? {}) as Record<string, unknown>;
  if (incident.source === 'generic') {
    const a = (p.alert ?? {}) as Record<string, unknown>;
    return { alertname: typeof a.name === 'string' ? a.name : '', ...strings(a.labels) };
  }
  const first = (Array.isArray(p.alerts) ? p.alerts[0] : undefined) as Record<string, unknown> | undefined;
  return { ...strings(p.commonLabels), ...strings(first?.labels) };
}

/** alert.json of the bundle: the Alertmanager payload as accepted, or the generic alert as one alert. */
export function alertDocument(incident: Pick<IncidentRecord, 'source' | 'payload'>): unknown {
  const p = (incident.payload ?? {}) as Record<string, unknown>;
  if (incident.source !== 'generic') return p;
  const a = (p.alert ?? {}) as Record<string, unknown>;
  return { ...a, labels: incidentLabels(incident) };
}
