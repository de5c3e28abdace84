import { getFactDefinition } from '../facts/catalogue.js';
import type { FactSet } from '../facts/types.js';
import type { RuleOutcome } from '../rules/types.js';

/**
 * What to collect next when no cause was found: when no target matched the alert and nothing was
 * acquired, only that; otherwise first the sources that were missing, then the
 * rules that could not be decided and the facts they lacked, then — for a healthy bundle — how to
 * catch a slow leak that a short window does not show.
 */
export function collectNext(
  facts: FactSet,
  outcomes: readonly RuleOutcome[],
  outcome: 'healthy' | 'inconclusive',
): string[] {
  const a = facts.acquisition;
  if (a?.noTarget !== undefined && a.nothingAcquired) {
    // Every source is missing for one reason: say that reason, not each missing file.
    return [
      `${a.noTarget}: memtriage fetched nothing for this alert. Add a target whose match selects it (docs/config.md, targets), or attach evidence to the alert.`,
    ];
  }
  const next = facts.missingSources.map((m) => `${m.source}: ${m.reason}`);
  for (const o of outcomes) {
    if (o.status !== 'missing') continue;
    const lacking = [...new Set(o.evidence.filter((e) => e.status === 'missing').map((e) => e.fact))];
    const sources = [...new Set(lacking.map(originOf))];
    next.push(`${o.rule.id} could not be decided: no ${lacking.join(', ')} (source: ${sources.join(', ')})`);
  }
  if (outcome === 'healthy') {
    next.push(
      'No rule fired on this window. If memory keeps rising, capture a longer window (10–30 min) with heap profiles every few minutes: a slow leak needs more than a minute to show a trend.',
    );
  }
  return next;
}

/**
 * Where a fact comes from, in the words of what to collect: a cross-source `signal.*` fact names the
 * sources any one of which would provide it.
 */
const SIGNAL_ORIGINS: [RegExp, string][] = [
  [/^signal\.(liveHeap|heapObjects|bytesPerNewObject)/, 'gctrace, memstats or pprof'],
  [/^signal\.(gcCpu|gcPerSecond|goalToLive)/, 'gctrace or memstats'],
  [/^signal\.goroutines/, 'memstats or goroutine profiles'],
  [/^signal\.stacks/, 'gctrace'],
  [/^signal\.(anon|window)/, 'cgroup or process'],
  [/^signal\.(outsideGoRuntime|rssAnonToGoHeap|goHeapExcess)/, 'memstats and process'],
  [/^signal\.(rssAnonToLiveHeap|anonBeyondLiveHeap)/, 'process and gctrace, memstats or pprof'],
  [/^signal\.jvm/, 'jvm and process'],
];

function originOf(fact: string): string {
  for (const [re, origin] of SIGNAL_ORIGINS) if (re.test(fact)) return origin;
  return getFactDefinition(fact)?.source ?? fact;
}
