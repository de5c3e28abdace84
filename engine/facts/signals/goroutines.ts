import type { FactSetBuilder } from '../fact-set-builder.js';
import { gcCycles, stacksAt } from '../gc-cycles.js';
import { linearFit, seriesOf } from '../series.js';
import type { SeriesPoint } from '../types.js';
import { steadyOrAll, type SignalInputs } from './inputs.js';

/** The goroutine count from MemStats (expvar or Prometheus), else from goroutine profiles. */
export function deriveGoroutines(inputs: SignalInputs, out: FactSetBuilder): void {
  const fromMemstats = seriesOf(
    inputs.memstats,
    (m) => m.ts,
    (m) => m.goroutines,
  );
  const points = fromMemstats.length >= 3 ? fromMemstats : [...inputs.goroutineCounts];
  if (points.length < 2) return;
  const first = points[0]!;
  const last = points.at(-1)!;
  out.put('signal.goroutines', last.v);
  out.put('signal.goroutinesGrowth', last.v - first.v);
  out.put('signal.goroutinesWindowSeconds', (last.t - first.t) / 1000);
  const seconds = (last.t - first.t) / 1000;
  if (seconds > 0) out.put('signal.goroutinesPerSecond', (last.v - first.v) / seconds);
  const fit = linearFit(points);
  if (fit !== undefined) out.put('signal.goroutinesTrendR2', fit.r2);
  // Share of the samples at which the count was a new high: a leak climbs, a pool breathes.
  let highs = 0;
  let best = -Infinity;
  for (const p of points) {
    if (p.v > best) highs++;
    best = Math.max(best, p.v);
  }
  out.put('signal.goroutinesNewHighShare', highs / points.length);
}

/** Goroutine stacks from gctrace (Go 1.18+ `N MB stacks`): a goroutine leak without any count. */
export function deriveStacks(inputs: SignalInputs, out: FactSetBuilder): void {
  const stacks: SeriesPoint[] = [];
  if (inputs.gctrace !== undefined) {
    const { s, n } = gcCycles(inputs.gctrace);
    for (let i = 0; i < n; i++) {
      const v = stacksAt(s, i);
      if (v !== undefined) stacks.push({ t: s.atSeconds[i]! * 1000, v });
    }
  }
  const stackFit = linearFit(steadyOrAll(stacks));
  if (stackFit !== undefined && stacks.length > 0) {
    out.put('signal.stacksSlopeBytesPerSecond', stackFit.slopePerSecond);
    out.put('signal.stacksTrendR2', stackFit.r2);
    out.put('signal.stacksGrowthBytes', stacks.at(-1)!.v - stacks[0]!.v);
  }
}
