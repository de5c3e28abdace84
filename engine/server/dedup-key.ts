import { createHash } from 'node:crypto';
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
 * One incident per group and alert set. Alertmanager re-sends the group on every
 * `group_interval` change and `repeat_interval` and retries on 5xx/timeouts; those carry the same
 * `groupKey` and the same (fingerprint, startsAt) pairs, so they map to the same key. A new
 * firing of the same alert has a new `startsAt`, hence a new incident. The resolve carries the
 * same pairs with status resolved, so it finds the incident it closes.
 */
export function alertmanagerDedupKey(p: AlertmanagerPayload): string {
  const pairs = p.alerts.map((a) => `${a.fingerprint ?? labelFingerprint(a.labels)}@${a.startsAt}`).sort();
  return `am:${sha([p.groupKey, ...pairs])}`;
}

export function genericGroupKey(p: GenericPayload): string {
  return p.alert.groupKey ?? `generic:${p.alert.name}`;
}

/** With an explicit id the sender controls identity; otherwise name + labels + startsAt. */
export function genericDedupKey(p: GenericPayload, startsAt: string): string {
  if (p.alert.id !== undefined) return `gen:id:${sha([p.alert.id])}`;
  return `gen:${sha([genericGroupKey(p), p.alert.name, labelFingerprint(p.alert.labels), startsAt])}`;
}
