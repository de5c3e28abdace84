import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readBundle } from '../../bundle/read-bundle.js';
import type { RawBundle } from '../../bundle/types.js';
import { diagnoseFacts } from '../../diagnose/diagnose.js';
import { incidentFromBundle } from '../../diagnose/incident.js';
import type { Diagnosis } from '../../diagnose/types.js';
import { BundleError } from '../../errors.js';
import { buildFacts } from '../../facts/build-facts.js';
import { getFactDefinition } from '../../facts/catalogue.js';
import type { FactSet } from '../../facts/types.js';
import type { CompiledRuleSet } from '../../rules/types.js';
import type { IncidentRecord } from '../../store/types.js';
import { alertDocument, incidentLabels } from './incident-labels.js';

/** What the webhook itself writes; a bundle holding nothing else is diagnosed from memory. */
const WEBHOOK_FILES = new Set(['alert.json', 'facts.json']);

/**
 * Facts the generic webhook attached (facts.json): only catalogue ids with a value of the right
 * kind count; they override what the bundle's own artifacts gave, because the sender measured
 * them at the source. Anything else becomes a warning, never an error.
 */
function overlayAttachedFacts(facts: FactSet, attached: Record<string, unknown>): void {
  for (const [id, value] of Object.entries(attached)) {
    const def = getFactDefinition(id);
    const ok =
      def !== undefined &&
      ((typeof value === 'number' && Number.isFinite(value)) ||
        typeof value === 'string' ||
        typeof value === 'boolean');
    if (!ok) {
      facts.warnings.push({
        file: 'facts.json',
        message: `ignored attached fact "${id}": not in the fact catalogue or not a value`,
      });
      continue;
    }
    facts.values[id] = value as number | string | boolean;
  }
  const present = new Set(Object.keys(facts.values).map((k) => k.split('.')[0]));
  facts.missingSources = facts.missingSources.filter((m) => !present.has(m.source));
}

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
  const alertOnly = (): RawBundle => ({
    dir,
    alert: alertDocument(incident),
    profiles: [],
    cgroup: [],
    proc: [],
    nmt: [],
    unknownEntries: [],
  });
  let bundle: RawBundle;
  let attached: Record<string, unknown> | undefined;
  if (readdirSync(dir).every((f) => WEBHOOK_FILES.has(f))) {
    // Nothing was acquired: the files on disk are exactly what the stored payload holds (the
    // common case of facts attached to a generic alert), so skip reading them back.
    bundle = alertOnly();
    attached =
      incident.source === 'generic'
        ? (incident.payload as { facts?: Record<string, unknown> }).facts
        : undefined;
  } else {
    try {
      bundle = await readBundle(dir);
    } catch (err) {
      if (!(err instanceof BundleError)) throw err;
      bundle = alertOnly();
    }
    attached = await readFile(join(dir, 'facts.json'), 'utf8').then(
      (t) => JSON.parse(t) as Record<string, unknown>,
      () => undefined,
    );
  }
  const facts = buildFacts(bundle);
  if (attached) overlayAttachedFacts(facts, attached);
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
