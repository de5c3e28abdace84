import { readdirSync } from 'node:fs';
import { ACQUISITION_WARNINGS_FILE, readAcquisitionWarnings } from '../../collect/acquisition-warnings.js';
import type { RawBundle } from '../../bundle/types.js';
import { diagnoseFacts } from '../../diagnose/diagnose.js';
import type { Diagnosis } from '../../diagnose/types.js';
import type { CompiledRuleSet } from '../../rules/types.js';
import type { IncidentRecord } from '../../store/types.js';
import { createFactsPool, ParseBudgetError, type FactsPool } from './facts-pool.js';
import { alertDocument, incidentLabels } from './incident-labels.js';
import { readFacts, type ReadFacts } from './read-facts.js';

/**
 * What the webhook itself writes, and the acquisition's note that no target matched; a bundle
 * holding nothing else is diagnosed from memory.
 */
const WEBHOOK_FILES = new Set(['alert.json', 'facts.json', ACQUISITION_WARNINGS_FILE]);

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
  let read: ReadFacts;
  if (readdirSync(dir).every((f) => WEBHOOK_FILES.has(f))) {
    // Nothing was acquired: the files on disk are exactly what the stored payload holds (the
    // common case of facts attached to a generic alert), so skip reading them back. readBundle
    // would read the same: `memtriage diagnose <dir>` replays this incident identically.
    const acquisitionWarnings = readAcquisitionWarnings(dir);
    read = await readFacts(undefined, {
      ...alertOnly(),
      ...(acquisitionWarnings ? { acquisitionWarnings } : {}),
    });
  } else {
    try {
      read = await factsPool().read(dir, alertOnly());
    } catch (err) {
      // The bundle could not be parsed within its budget, or the parser died on it (a bomb past
      // every cap): the alert still gets its runbook, diagnosed from the alert alone, saying why.
      read = await readFacts(undefined, alertOnly());
      read.facts.warnings.push({
        file: 'bundle',
        message:
          err instanceof ParseBudgetError
            ? err.message
            : `reading the bundle failed: ${(err as Error).message}`,
      });
    }
  }
  const info = { ...read.info, id: incident.id, source: incident.source };
  return diagnoseFacts(read.facts, rules, info);
}

let pool: FactsPool | undefined;
/** One bundle-parsing worker per process, started on first use (see facts-pool.ts). */
function factsPool(): FactsPool {
  return (pool ??= createFactsPool());
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
