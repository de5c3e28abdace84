import { createHash } from 'node:crypto';
import type { AlertInput } from '../store/types.js';
import type { AlertmanagerPayload, GenericPayload } from './alert-schemas.js';

function sha(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/** Alertmanager's fingerprint is a hash of the label set; one is made the same way when absent. */
export function labelFingerprint(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  return sha(keys.map((k) => `${k}=${labels[k]}`)).slice(0, 16);
}

/**
 * One incident per alert of a group: the alert is the instance that needs its own evidence and
 * runbook. Alertmanager re-sends the group on every `group_interval` change and `repeat_interval`
 * and retries on 5xx/timeouts; an alert keeps its (fingerprint, startsAt) in every re-send, so it
 * maps to the same key, and an alert joining the group is a new incident while the others repeat.
 * A new firing of the same alert has a new `startsAt`, hence a new incident; its resolve carries
 * the same pair, so it finds the incident it closes. (For a group of one alert this is the key
 * earlier versions gave the whole notification, so stored incidents keep deduplicating.)
 */
export function alertmanagerAlertKey(groupKey: string, alert: AlertmanagerPayload['alerts'][number]): string {
  return `am:${sha([groupKey, `${alert.fingerprint ?? labelFingerprint(alert.labels)}@${alert.startsAt}`])}`;
}

/** The key of a notification's first alert (its incident, for a group of one). */
export function alertmanagerDedupKey(p: AlertmanagerPayload): string {
  return alertmanagerAlertKey(p.groupKey, p.alerts[0]!);
}

/**
 * A notification → one AlertInput per alert. Each stored payload is the notification narrowed to
 * its alert (same group and common labels, `alerts: [that alert]`, the alert's own status), so
 * everything downstream (labels, alert.json, routing) sees one instance. The group's resolve (every
 * alert resolved) closes the group's other open incidents too; it is asked of the last input only,
 * so each alert's own resolve is recorded first.
 */
export function splitAlertmanagerGroup(p: AlertmanagerPayload): Omit<AlertInput, 'now'>[] {
  const seen = new Set<string>();
  const inputs: Omit<AlertInput, 'now'>[] = [];
  for (const a of p.alerts) {
    const dedupKey = alertmanagerAlertKey(p.groupKey, a);
    if (seen.has(dedupKey)) continue;
    seen.add(dedupKey);
    inputs.push({
      source: 'alertmanager',
      dedupKey,
      groupKey: p.groupKey,
      status: a.status,
      payload: { ...p, status: a.status, alerts: [a] },
      exactKey: true,
    });
  }
  if (p.status === 'resolved') inputs[inputs.length - 1]!.resolvesGroup = true;
  return inputs;
}

export function genericGroupKey(p: GenericPayload): string {
  return p.alert.groupKey ?? `generic:${p.alert.name}`;
}

/** With an explicit id the sender controls identity; otherwise name + labels + startsAt. */
export function genericDedupKey(p: GenericPayload, startsAt: string): string {
  if (p.alert.id !== undefined) return `gen:id:${sha([p.alert.id])}`;
  return `gen:${sha([genericGroupKey(p), p.alert.name, labelFingerprint(p.alert.labels), startsAt])}`;
}
