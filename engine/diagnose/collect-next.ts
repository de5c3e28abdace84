import { getFactDefinition } from '../facts/catalogue.js';
import type { FactSet } from '../facts/types.js';
import type { RuleOutcome } from '../rules/types.js';

/**
 * What to collect next when no cause was found: first the sources that were missing, then the
 * rules that could not be decided and the facts they lacked, then — for a healthy bundle — how to
 * catch a slow leak that a short window does not show.
 */
export function collectNext(
  facts: FactSet,
  outcomes: readonly RuleOutcome[],
  outcome: 'healthy' | 'inconclusive',
): string[] {
  const next = facts.missingSources.map((m) => `${m.source}: ${m.reason}`);
  for (const o of outcomes) {
    if (o.status !== 'missing') continue;
    const lacking = [...new Set(o.evidence.filter((e) => e.status === 'missing').map((e) => e.fact))];
    const sources = [...new Set(lacking.map((f) => getFactDefinition(f)?.source ?? f))];
    next.push(`${o.rule.id} could not be decided: no ${lacking.join(', ')} (source: ${sources.join(', ')})`);
  }
  if (outcome === 'healthy') {
    next.push(
      'No rule fired on this window. If memory keeps rising, capture a longer window (10–30 min) with heap profiles every few minutes: a slow leak needs more than a minute to show a trend.',
    );
  }
  return next;
}
