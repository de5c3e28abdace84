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

/**
 * The entries of a group-level label or annotation set that this alert carries with the same value.
 * Alertmanager's groupLabels, commonLabels and commonAnnotations are exactly such entries, so for
 * its notifications this changes nothing; a sender that put ~1 MB there (and 1000 tiny alerts)
 * would otherwise have it stored once per alert.
 */
function sharedWith(
  group: Readonly<Record<string, string>> | undefined,
  own: Readonly<Record<string, string>> | undefined,
): Record<string, string> | undefined {
  if (group === undefined) return undefined;
  return Object.fromEntries(Object.entries(group).filter(([k, v]) => own !== undefined && own[k] === v));
}

/**
 * A notification → one AlertInput per alert. Each stored payload is the notification narrowed to
 * its alert (same group, `alerts: [that alert]`, the alert's own status, and of the group and
 * common labels and annotations only those the alert itself carries: see sharedWith), so
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
      payload: narrowTo(p, a),
      exactKey: true,
    });
  }
  if (p.status === 'resolved') inputs[inputs.length - 1]!.resolvesGroup = true;
  return inputs;
}

/** The notification as one alert's: its status, only it, and only the group-level entries it carries. */
function narrowTo(p: AlertmanagerPayload, a: AlertmanagerPayload['alerts'][number]): AlertmanagerPayload {
  const out: AlertmanagerPayload = { ...p, status: a.status, alerts: [a] };
  const groupLabels = sharedWith(p.groupLabels, a.labels);
  const commonLabels = sharedWith(p.commonLabels, a.labels);
  const commonAnnotations = sharedWith(p.commonAnnotations, a.annotations);
  if (groupLabels !== undefined) out.groupLabels = groupLabels;
  if (commonLabels !== undefined) out.commonLabels = commonLabels;
  if (commonAnnotations !== undefined) out.commonAnnotations = commonAnnotations;
  return out;
}

export function genericGroupKey(p: GenericPayload): string {
  return p.alert.groupKey ?? `generic:${p.alert.name}`;
}

/** With an explicit id the sender controls identity; otherwise name + labels + startsAt. */
export function genericDedupKey(p: GenericPayload, startsAt: string): string {
  if (p.alert.id !== undefined) return `gen:id:${sha([p.alert.id])}`;
  return `gen:${sha([genericGroupKey(p), p.alert.name, labelFingerprint(p.alert.labels), startsAt])}`;
}
