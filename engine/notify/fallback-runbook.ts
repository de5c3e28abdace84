import type { Diagnosis } from '../diagnose/types.js';
import type { Runbook } from '../runbook/types.js';

/**
 * When a template cannot render (a broken user template), the incident still goes out: a
 * runbook with the ranked causes and the render error, built without templates. Losing the page
 * would be worse than an unstyled one.
 */
export function fallbackRunbook(d: Diagnosis, reason: string): Runbook {
  const top = d.causes[0];
  const service = d.incident.service;
  const title = `${service ? `${service}: ` : ''}${top?.title ?? (d.outcome === 'healthy' ? 'no memory problem found' : 'no cause found (inconclusive)')}`;
  return {
    version: 1,
    incidentId: d.incident.id,
    templateId: 'fallback',
    outcome: d.outcome,
    title: title.slice(0, 300),
    severity: top?.severity ?? 'info',
    summary: [{ kind: 'text', text: top?.description ?? title }],
    ...(service ? { service } : {}),
    status: d.incident.status,
    ...(d.incident.startsAt ? { startsAt: d.incident.startsAt } : {}),
    labels: d.incident.labels,
    causes: d.causes.map((c, i) => ({
      ruleId: c.ruleId,
      title: c.title,
      severity: c.severity,
      confidence: c.confidence,
      role: i === 0 ? 'top' : c.consequenceOf !== undefined ? 'consequence' : 'also',
    })),
    blocks: [
      {
        kind: 'list',
        heading: 'Causes',
        items: d.causes.map((c) => [
          { kind: 'text', text: `${c.title} (${c.ruleId}, confidence ${c.confidence.toFixed(2)})` },
        ]),
      },
      { kind: 'text', heading: 'Runbook unavailable', paragraphs: [[{ kind: 'text', text: reason }]] },
    ],
  };
}
