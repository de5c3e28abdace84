import { readBundle } from '../bundle/read-bundle.js';
import { buildFacts } from '../facts/build-facts.js';
import type { FactSet } from '../facts/types.js';
import type { CompiledRuleSet } from '../rules/types.js';
import { diagnoseFacts, type DiagnoseOptions } from './diagnose.js';
import { incidentFromBundle } from './incident.js';
import type { Diagnosis, IncidentInfo } from './types.js';

/** A bundle directory read and turned into facts, with the incident it describes. */
export async function readIncident(dir: string): Promise<{ facts: FactSet; incident: IncidentInfo }> {
  const bundle = await readBundle(dir);
  return { facts: buildFacts(bundle), incident: incidentFromBundle(bundle) };
}

/** The whole pipeline for one bundle directory, exactly as the server and backtests run it. */
export async function diagnoseBundle(
  dir: string,
  rules: CompiledRuleSet,
  opts: DiagnoseOptions = {},
): Promise<Diagnosis> {
  const { facts, incident } = await readIncident(dir);
  return diagnoseFacts(facts, rules, incident, opts);
}
