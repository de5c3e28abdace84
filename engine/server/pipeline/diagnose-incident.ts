import { readdirSync } from 'node:fs';
import { readBundle } from '../../bundle/read-bundle.js';
import type { RawBundle } from '../../bundle/types.js';
import { diagnoseFacts } from '../../diagnose/diagnose.js';
import { incidentFromBundle } from '../../diagnose/incident.js';
import type { Diagnosis } from '../../diagnose/types.js';
import { BundleError } from '../../errors.js';
import { buildFacts } from '../../facts/build-facts.js';
import type { CompiledRuleSet } from '../../rules/types.js';
import type { IncidentRecord } from '../../store/types.js';
import { alertDocument, incidentLabels } from './incident-labels.js';

/** What the webhook itself writes; a bundle holding nothing else is diagnosed from memory. */
const WEBHOOK_FILES = new Set(['alert.json', 'facts.json']);

/**
 * Diagnoses an incident's bundle exactly as `memtriage diagnose <bundle>` would, plus attached
 * facts. A bundle that holds only the alert (no target configured, nothing attached) is not an
 * error here: the diagnosis is inconclusive and says what to collect next.
 */
export async function diagnoseIncident(
  dir: string,
  incident: IncidentRecord,
  rules: CompiledRuleSet,
): Promise<Diagnosis> {
  const attachedInPayload =
    incident.source === 'generic'
      ? (incident.payload as { facts?: Record<string, unknown> }).facts
      : undefined;
  const alertOnly = (): RawBundle => ({
    dir,
    alert: alertDocument(incident),
    ...(attachedInPayload ? { attachedFacts: attachedInPayload } : {}),
    profiles: [],
    cgroup: [],
    proc: [],
    nmt: [],
    unknownEntries: [],
  });
  let bundle: RawBundle;
  if (readdirSync(dir).every((f) => WEBHOOK_FILES.has(f))) {
    // Nothing was acquired: the files on disk are exactly what the stored payload holds (the
    // common case of facts attached to a generic alert), so skip reading them back. readBundle
    // would read the same: `memtriage diagnose <dir>` replays this incident identically.
    bundle = alertOnly();
  } else {
    try {
      bundle = await readBundle(dir);
    } catch (err) {
      if (!(err instanceof BundleError)) throw err;
      bundle = alertOnly();
    }
  }
  const facts = buildFacts(bundle);
  const info = { ...incidentFromBundle(bundle), id: incident.id, source: incident.source };
  return diagnoseFacts(facts, rules, info);
}

/** A diagnosis that says it could not be made: the alert still goes out, marked inconclusive. */
export function undiagnosed(incident: IncidentRecord, reason: string, nowMs: number): Diagnosis {
  const status = incident.status;
  return {
    version: 1,
    generatedAt: new Date(nowMs).toISOString(),
    incident: {
      id: incident.id,
      source: incident.source,
      labels: incidentLabels(incident),
      annotations: {},
      status,
    },
    outcome: 'inconclusive',
    causes: [],
    collectNext: [],
    missingSources: [],
    facts: {},
    series: {},
    growingSites: [],
    warnings: [{ file: 'pipeline', message: reason }],
  };
}
