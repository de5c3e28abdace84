import { join } from 'node:path';
import { diagnoseBundle } from '../../engine/diagnose/diagnose-bundle.js';
import { loadCompiledRules } from '../../engine/diagnose/load-rules.js';
import type { Diagnosis } from '../../engine/diagnose/types.js';

const cache = new Map<string, Promise<Diagnosis>>();

/** The real pipeline's diagnosis of a fixture bundle under examples/incidents (cached per test file). */
export function realDiagnosis(bundle: string): Promise<Diagnosis> {
  let p = cache.get(bundle);
  if (p === undefined) {
    p = loadCompiledRules().then((rules) =>
      diagnoseBundle(join('examples/incidents', bundle), rules, {
        now: () => new Date('2026-11-25T03:00:00Z'),
      }),
    );
    cache.set(bundle, p);
  }
  return p;
}
