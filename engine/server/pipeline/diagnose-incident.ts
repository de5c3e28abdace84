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
  let bundle: RawBundle;
  try {
    bundle = await readBundle(dir);
  } catch (err) {
    if (!(err instanceof BundleError)) throw err;
    const alert = JSON.parse(await readFile(join(dir, 'alert.json'), 'utf8')) as unknown;
    bundle = { dir, alert, profiles: [], cgroup: [], proc: [], nmt: [], unknownEntries: [] };
  }
  const facts = buildFacts(bundle);
  const attached = await readFile(join(dir, 'facts.json'), 'utf8').then(
    (t) => JSON.parse(t) as Record<string, unknown>,
    () => undefined,
  );
  if (attached) overlayAttachedFacts(facts, attached);
  const info = { ...incidentFromBundle(bundle), id: incident.id, source: incident.source };
  return diagnoseFacts(facts, rules, info);
}
