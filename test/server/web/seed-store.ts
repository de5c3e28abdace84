import { resolve } from 'node:path';
import { diagnoseBundle } from '../../../engine/diagnose/diagnose-bundle.js';
import { loadCompiledRules } from '../../../engine/diagnose/load-rules.js';
import type { Store } from '../../../engine/store/types.js';

/** Stores three real fixture incidents (one with a hostile alert label), as the pipeline would. */
export async function seedStore(s: Store): Promise<Record<string, string>> {
  const rules = await loadCompiledRules();
  const out: Record<string, string> = {};
  const payloads: Record<string, unknown> = {};
  let now = Date.UTC(2026, 10, 25, 10, 0, 0);
  for (const [name, service] of [
    ['pub-map-leak', 'dedupd'],
    ['pub-goroutine-leak', 'notifyd <script>alert(1)</script>'],
    ['pub-healthy-go', 'pricingd'],
  ] as const) {
    now += 60_000;
    const payload = {
      status: 'firing',
      commonLabels: { alertname: 'MemoryHigh', service },
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'MemoryHigh', service, instance: `${name}-0:6060`, severity: 'warning' },
          annotations: { summary: `RSS of ${service} above 90% of its limit` },
          startsAt: new Date(now - 120_000).toISOString(),
        },
      ],
    };
    payloads[name] = payload;
    const { incident } = await s.recordAlert({
      dedupKey: name,
      source: 'alertmanager',
      groupKey: `{}:${name}`,
      status: 'firing',
      payload,
      now,
    });
    const bundleDir = resolve('examples/incidents', name);
    const diagnosis = await diagnoseBundle(bundleDir, rules);
    diagnosis.incident.service = service;
    // As the pipeline diagnoses them: while the alert fires.
    diagnosis.incident.status = 'firing';
    await s.updateIncident(incident.id, { stage: 'queued', bundleDir, diagnosis }, now);
    out[name] = incident.id;
  }
  await s.recordAlert({
    dedupKey: 'pub-map-leak',
    source: 'alertmanager',
    groupKey: '{}:pub-map-leak',
    status: 'resolved',
    // Alertmanager's resolve carries the same alert, resolved.
    payload: { ...(payloads['pub-map-leak'] as object), status: 'resolved' },
    now: now + 1,
  });
  return out;
}
