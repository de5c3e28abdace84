import type { DeriveContext } from '../derive-context.js';
import { ratio } from '../derive-context.js';
import type { FactSetBuilder } from '../fact-set-builder.js';
import { linearFit, maxValue, nearestWithin, seriesOf } from '../series.js';
import type { SeriesPoint } from '../types.js';
import { anonSeries, cgroupUnreclaimable, runningCgroup, steadyOrAll, type SignalInputs } from './inputs.js';

/**
 * What the container holds: the cgroup's usage (else the process's RSS), its anonymous and shared
 * part (page cache grows harmlessly until the limit; shmem cannot be dropped without swap), and — for a Go process — the memory outside the Go heap.
 */
export function deriveFootprint(inputs: SignalInputs, ctx: DeriveContext, out: FactSetBuilder): void {
  // Growth: the cgroup's anonymous and shared memory first (every process of the container), else
  // the process's.
  const fromCgroup = seriesOf(runningCgroup(inputs.cgroups), (c) => c.ts, cgroupUnreclaimable);
  const anon = fromCgroup.length >= 3 ? fromCgroup : anonSeries(inputs);
  const anonFit = linearFit(steadyOrAll(anon));
  if (anonFit !== undefined) {
    out.put('signal.anonSlopeBytesPerSecond', anonFit.slopePerSecond);
    out.put('signal.anonTrendR2', anonFit.r2);
    out.put('signal.anonGrowthBytes', anon.at(-1)!.v - steadyOrAll(anon)[0]!.v);
    out.put('signal.anonToLimitRatio', ratio(maxValue(anon.map((p) => p.v)), ctx.limitBytes));
  }
  // Go: RSS beyond what the runtime has mapped and not released (Sys − HeapReleased). cgo, C
  // libraries and raw mmap grow this; a Go heap leak does not.
  const byTime = inputs.memstats.filter((m) => m.ts !== undefined).sort((a, b) => a.ts! - b.ts!);
  const anonPoints = anonSeries(inputs);
  if (byTime.length >= 3 && anonPoints.length >= 3) {
    const outside: SeriesPoint[] = [];
    for (const { t, v } of anonPoints) {
      const m = nearestWithin(byTime, t, 2000, (x) => x.ts!);
      if (m === undefined) continue;
      const { Sys, HeapReleased } = m.stats;
      if (Sys === undefined || HeapReleased === undefined) continue;
      outside.push({ t, v: v - (Sys - HeapReleased) });
    }
    const steady = steadyOrAll(outside);
    const fit = linearFit(steady);
    if (fit !== undefined && steady.length > 0) {
      out.put('signal.outsideGoRuntimeSlopeBytesPerSecond', fit.slopePerSecond);
      out.put('signal.outsideGoRuntimeTrendR2', fit.r2);
      out.put('signal.outsideGoRuntimeGrowthBytes', steady.at(-1)!.v - steady[0]!.v);
    }
  }
}

export function deriveIoPressure(inputs: SignalInputs, out: FactSetBuilder): void {
  out.put('psi.ioSomeAvg10MaxPercent', maxValue(inputs.hostIoPsi.map((p) => p.some?.avg10)));
  out.put('psi.cgroupIoSomeAvg10MaxPercent', maxValue(inputs.cgroupIoPsi.map((p) => p.some?.avg10)));
}
