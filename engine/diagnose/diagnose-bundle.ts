import { readBundle } from '../bundle/read-bundle.js';
import { buildFacts } from '../facts/build-facts.js';
import type { CompiledRuleSet } from '../rules/types.js';
import { diagnoseFacts, type DiagnoseOptions } from './diagnose.js';
import { incidentFromBundle } from './incident.js';
import type { Diagnosis } from './types.js';

/** The whole pipeline for one bundle directory, exactly as the server and backtests run it. */
export async function diagnoseBundle(
  dir: string,
  rules: CompiledRuleSet,
  opts: DiagnoseOptions = {},
): Promise<Diagnosis> {
  const bundle = await readBundle(dir);
  return diagnoseFacts(buildFacts(bundle), rules, incidentFromBundle(bundle), opts);
}
