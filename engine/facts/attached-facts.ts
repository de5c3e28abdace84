import { getFactDefinition } from './catalogue.js';
import type { FactSet } from './types.js';

/**
 * Facts a sender attached (a generic webhook's `facts`, kept as the bundle's facts.json): only
 * catalogue ids with a value of the kind their unit needs count; they override what the bundle's
 * own artifacts gave, because the sender measured them at the source. Anything else is a warning.
 */
export function overlayAttachedFacts(facts: FactSet, attached: Readonly<Record<string, unknown>>): void {
  for (const [id, value] of Object.entries(attached)) {
    const def = getFactDefinition(id);
    const wanted =
      def === undefined
        ? undefined
        : def.unit === 'string'
          ? 'string'
          : def.unit === 'boolean'
            ? 'boolean'
            : 'number';
    const ok =
      wanted !== undefined &&
      typeof value === wanted &&
      (typeof value !== 'number' || Number.isFinite(value));
    if (!ok) {
      facts.warnings.push({
        file: 'facts.json',
        message:
          def === undefined
            ? `ignored attached fact "${id}": not in the fact catalogue`
            : `ignored attached fact "${id}": expected a ${wanted} (${def.unit})`,
      });
      continue;
    }
    facts.values[id] = value as number | string | boolean;
  }
  const present = new Set(Object.keys(facts.values).map((k) => k.split('.')[0]));
  facts.missingSources = facts.missingSources.filter((m) => !present.has(m.source));
}
