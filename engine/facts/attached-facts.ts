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
  fillSignalsFromSources(facts.values);
  const present = new Set(Object.keys(facts.values).map((k) => k.split('.')[0]));
  facts.missingSources = facts.missingSources.filter((m) => !present.has(m.source));
}

/**
 * A sender that attaches per-source facts (`gctrace.liveHeapSlopeBytesPerSecond`, …) has no bundle
 * for memtriage to derive the cross-source `signal.*` facts from: each absent signal takes the first
 * attached (or derived) source fact that means the same, so rules written on signals still decide.
 */
const SIGNAL_SOURCES: Record<string, readonly [string, number?][]> = {
  'signal.liveHeapSlopeBytesPerSecond': [
    ['gctrace.liveHeapSlopeBytesPerSecond'],
    ['memstats.heapInuseSlopeBytesPerSecond'],
  ],
  'signal.liveHeapTrendR2': [['gctrace.liveHeapTrendR2'], ['memstats.heapInuseTrendR2']],
  'signal.liveHeapWindowSeconds': [['gctrace.windowSeconds'], ['memstats.windowSeconds']],
  'signal.windowSeconds': [['gctrace.windowSeconds'], ['memstats.windowSeconds']],
  'signal.liveHeapBytes': [['gctrace.liveHeapBytes'], ['memstats.heapInuseBytes']],
  'signal.heapObjectsSlopePerSecond': [['memstats.heapObjectsSlopePerSecond']],
  'signal.goroutines': [['memstats.goroutines']],
  'signal.goroutinesPerSecond': [['memstats.goroutinesSlopePerSecond']],
  'signal.goroutinesTrendR2': [['memstats.goroutinesTrendR2']],
  'signal.goroutinesWindowSeconds': [['memstats.windowSeconds']],
  'signal.gcCpuRecentPercent': [['gctrace.gcCpuPercent'], ['memstats.gcCpuFraction', 100]],
  'signal.goalToLiveRatio': [['gctrace.goalToLiveRatio']],
  'signal.gcPerSecondRecent': [['gctrace.gcPerSecond'], ['memstats.gcPerSecond']],
  'signal.anonSlopeBytesPerSecond': [['cgroup.usageSlopeBytesPerSecond'], ['process.rssSlopeBytesPerSecond']],
  'signal.anonTrendR2': [['cgroup.usageTrendR2'], ['process.rssTrendR2']],
};

function fillSignalsFromSources(values: FactSet['values']): void {
  for (const [signal, sources] of Object.entries(SIGNAL_SOURCES)) {
    if (signal in values) continue;
    for (const [source, scale] of sources) {
      const v = values[source];
      if (typeof v !== 'number') continue;
      values[signal] = scale === undefined ? v : v * scale;
      break;
    }
  }
  // A per-source slope says growth, and nothing about its later half: the goroutine count growth is
  // what the slope implies over the window.
  const perSecond = values['signal.goroutinesPerSecond'];
  const window = values['signal.goroutinesWindowSeconds'];
  if (!('signal.goroutinesGrowth' in values) && typeof perSecond === 'number' && typeof window === 'number') {
    values['signal.goroutinesGrowth'] = perSecond * window;
  }
}
