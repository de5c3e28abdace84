import type { FactSetBuilder } from './fact-set-builder.js';

/**
 * Facts from alert.json: an Alertmanager webhook payload (version 4) or a single alert object
 * (`{labels, annotations, status?}`). Anything else yields no alert facts.
 */
export function deriveAlert(alert: unknown, out: FactSetBuilder): void {
  if (typeof alert !== 'object' || alert === null) return;
  const a = alert as Record<string, unknown>;
  const first = Array.isArray(a['alerts']) ? (a['alerts'][0] as Record<string, unknown> | undefined) : a;
  const status = typeof a['status'] === 'string' ? a['status'] : first?.['status'];
  if (status === 'firing' || status === 'resolved') out.put('alert.firing', status === 'firing');
  const labels = [a['commonLabels'], first?.['labels']].find((l) => typeof l === 'object' && l !== null) as
    Record<string, unknown> | undefined;
  const name = labels?.['alertname'];
  if (typeof name === 'string') out.put('alert.name', name);
  const severity = labels?.['severity'];
  if (typeof severity === 'string') out.put('alert.severity', severity.toLowerCase());
}
