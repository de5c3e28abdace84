import type { FactSetBuilder } from '../fact-set-builder.js';
import { gcCycles, stacksAt } from '../gc-cycles.js';
import { steadyIndices } from '../derive-context.js';
import { linearFit, linearFitColumns, seriesOf } from '../series.js';
import type { SignalInputs } from './inputs.js';

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
  if (inputs.gctrace === undefined) return;
  // The cycles that report stacks (all of them from Go 1.18), as columns: no object per cycle.
  const { s, n } = gcCycles(inputs.gctrace);
  let m = 0;
  for (let i = 0; i < n; i++) if (stacksAt(s, i) !== undefined) m++;
  if (m === 0) return;
  const t = new Float64Array(m);
  const v = new Float64Array(m);
  for (let i = 0, k = 0; i < n; i++) {
    const bytes = stacksAt(s, i);
    if (bytes === undefined) continue;
    t[k] = s.atSeconds[i]! * 1000;
    v[k++] = bytes;
  }
  // steadyOrAll: the points after start-up when at least three remain, else all of them.
  const steady = steadyIndices(t);
  const stackFit = linearFitColumns(t, v, steady.length >= 3 ? steady : undefined);
  if (stackFit !== undefined) {
    out.put('signal.stacksSlopeBytesPerSecond', stackFit.slopePerSecond);
    out.put('signal.stacksTrendR2', stackFit.r2);
    out.put('signal.stacksGrowthBytes', v[m - 1]! - v[0]!);
  }
}
