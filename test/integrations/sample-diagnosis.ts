import type { Diagnosis } from '../../engine/diagnose/types.js';

/** A minimal map-leak diagnosis for channel tests. */
export const sampleDiagnosis = {
  version: 1,
  generatedAt: '2026-11-26T00:00:00Z',
  incident: {
    id: 'inc-1',
    source: 'alertmanager',
    labels: { service: 'orders' },
    annotations: {},
    status: 'firing',
    service: 'orders',
  },
  outcome: 'cause-found',
  causes: [
    {
      ruleId: 'go-map-leak',
      title: 'Go map grows without bound',
      severity: 'critical',
      kind: 'cause',
      confidence: 0.9,
      runbook: 'go-map-leak',
      evidence: [],
    },
  ],
  collectNext: [],
  missingSources: [],
  facts: {},
  series: {},
  growingSites: [],
  warnings: [],
} as unknown as Diagnosis;
