import type { RunbookGroup } from '../../runbook/context/template-context.js';
import type { IncidentRecord, Store } from '../../store/types.js';
import { incidentPageUrl } from '../../runbook/links/incident-links.js';
import { incidentLabels } from './incident-labels.js';

/** Members looked at per group: a group of hundreds of instances still links the first ones. */
const GROUP_SCAN = 200;
const GROUP_LISTED = 20;

/** The incidents' lifetimes overlap: they alerted together. */
function overlaps(a: IncidentRecord, b: IncidentRecord): boolean {
  const aEnd = a.resolvedAt ?? Infinity;
  const bEnd = b.resolvedAt ?? Infinity;
  return a.receivedAt <= bEnd && b.receivedAt <= aEnd;
}

/**
 * The other alerts (instances) of an Alertmanager incident's group that alerted while it did, each
 * named by the labels that tell the members apart (`instance=…`) and linked to its incident page
 * when `externalUrl` is known. Undefined for a generic alert, or a lone one.
 */
export async function incidentGroup(
  store: Pick<Store, 'incidentsInGroup'>,
  incident: IncidentRecord,
  externalUrl?: URL,
): Promise<RunbookGroup | undefined> {
  if (incident.source !== 'alertmanager') return undefined;
  const members = (await store.incidentsInGroup(incident.groupKey, GROUP_SCAN))
    .filter((m) => m.id === incident.id || overlaps(m, incident))
    .sort((a, b) => a.receivedAt - b.receivedAt || a.id.localeCompare(b.id));
  if (!members.some((m) => m.id === incident.id)) members.push(incident);
  if (members.length < 2) return undefined;
  const labels = members.map((m) => incidentLabels(m));
  const keys = [...new Set(labels.flatMap((l) => Object.keys(l)))]
    .filter((k) => new Set(labels.map((l) => l[k])).size > 1)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const others = members
    .map((m, i) => ({ m, l: labels[i]! }))
    .filter(({ m }) => m.id !== incident.id)
    .slice(0, GROUP_LISTED)
    .map(({ m, l }) => ({
      id: m.id,
      name:
        keys
          .filter((k) => l[k] !== undefined)
          .slice(0, 3)
          .map((k) => `${k}=${l[k]}`)
          .join(', ') || m.id,
      status: m.status,
      url: externalUrl ? incidentPageUrl(externalUrl, m.id) : null,
    }));
  return { size: members.length, others };
}

/** The labels that usually name an instance first. */
function rank(key: string): number {
  const i = ['instance', 'pod', 'node', 'host', 'container'].indexOf(key);
  return i < 0 ? 99 : i;
}
