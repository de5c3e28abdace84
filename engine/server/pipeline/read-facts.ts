import { readBundle } from '../../bundle/read-bundle.js';
import type { RawBundle } from '../../bundle/types.js';
import { incidentFromBundle } from '../../diagnose/incident.js';
import type { IncidentInfo } from '../../diagnose/types.js';
import { BundleError } from '../../errors.js';
import { buildFacts } from '../../facts/build-facts.js';
import type { FactSet } from '../../facts/types.js';

/** An incident's bundle read and turned into facts: the part of a diagnosis that parses untrusted files. */
export interface ReadFacts {
  facts: FactSet;
  info: IncidentInfo;
}

/**
 * Reads the bundle in `dir` (or, when it cannot be read as one, uses `fallback`: the alert and
 * attached facts alone) and builds its facts.
 */
export async function readFacts(dir: string | undefined, fallback: RawBundle): Promise<ReadFacts> {
  let bundle = fallback;
  if (dir !== undefined) {
    try {
      bundle = await readBundle(dir);
    } catch (err) {
      if (!(err instanceof BundleError)) throw err;
    }
  }
  return { facts: buildFacts(bundle), info: incidentFromBundle(bundle) };
}
