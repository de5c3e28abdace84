import type { MemStatsSample } from '../parse/memstats/types.js';
import { ratio, steadyState, type DeriveContext } from './derive-context.js';
import type { FactSetBuilder } from './fact-set-builder.js';
import { counterRate, linearFit, median, seriesOf, maxValue } from './series.js';
import type { SeriesPoint } from './types.js';

/** Facts from a series of Go runtime.MemStats samples (expvar, heap.txt or Prometheus). */
export function deriveMemstats(
  samples: readonly MemStatsSample[],
  ctx: DeriveContext,
  out: FactSetBuilder,
): void {
  const last = samples[samples.length - 1];
  if (last === undefined) return;
  const s = last.stats;
  const timed = samples.filter((x) => x.ts !== undefined);
  const series = (pick: (x: MemStatsSample) => number | undefined): SeriesPoint[] =>
    seriesOf(timed, (x) => x.ts, pick);

  out.put('memstats.samples', samples.length);
  if (timed.length >= 2)
    out.put('memstats.windowSeconds', (timed[timed.length - 1]!.ts! - timed[0]!.ts!) / 1000);
  out.put('memstats.heapAllocBytes', s.HeapAlloc);
  out.put('memstats.heapInuseBytes', s.HeapInuse);
  out.put('memstats.heapIdleBytes', s.HeapIdle);
  out.put('memstats.heapSysBytes', s.HeapSys);
  out.put('memstats.heapReleasedBytes', s.HeapReleased);
  out.put('memstats.heapObjects', s.HeapObjects);
  out.put('memstats.sysBytes', s.Sys);
  out.put('memstats.stackInuseBytes', s.StackInuse);
  out.put('memstats.nextGcBytes', s.NextGC);
  out.put('memstats.gcCpuFraction', s.GCCPUFraction);
  out.put('memstats.goroutines', last.goroutines);
  out.put('memstats.bytesPerHeapObject', ratio(s.HeapAlloc, s.HeapObjects));
  out.put('memstats.heapIdleToSysRatio', ratio(s.HeapIdle, s.HeapSys));
  out.put('memstats.heapReleasedToIdleRatio', ratio(s.HeapReleased, s.HeapIdle));
  out.put('memstats.stackBytesPerGoroutine', ratio(s.StackInuse, last.goroutines));
  out.put('memstats.nextGcToLimitRatio', ratio(s.NextGC, ctx.limitBytes));
  const gcRate = counterRate(series((x) => x.stats.NumGC));
  const forcedRate = counterRate(series((x) => x.stats.NumForcedGC));
  out.put('memstats.gcPerSecond', gcRate);
  out.put('memstats.forcedGcPerSecond', forcedRate);
  out.put('memstats.forcedGcShare', forcedRate !== undefined && gcRate ? forcedRate / gcRate : undefined);

  const goroutines = series((x) => x.goroutines);
  out.put('memstats.goroutinesMax', maxValue(goroutines.map((p) => p.v)));

  const heapInuse = series((x) => x.stats.HeapInuse);
  const heapAlloc = series((x) => x.stats.HeapAlloc);
  const heapObjects = series((x) => x.stats.HeapObjects);
  fitInto(out, goroutines, 'memstats.goroutinesSlopePerSecond', 'memstats.goroutinesTrendR2');
  fitInto(out, heapInuse, 'memstats.heapInuseSlopeBytesPerSecond', 'memstats.heapInuseTrendR2');
  fitInto(out, heapAlloc, 'memstats.heapAllocSlopeBytesPerSecond', 'memstats.heapAllocTrendR2');
  fitInto(out, heapObjects, 'memstats.heapObjectsSlopePerSecond', 'memstats.heapObjectsTrendR2');

  // Fragmentation ratios are read in steady state: during start-up HeapInuse tracks HeapAlloc closely.
  const mid = timed.length > 0 ? (timed[0]!.ts! + timed[timed.length - 1]!.ts!) / 2 : Infinity;
  const late = timed.filter((x) => x.ts! >= mid);
  /** Median over the later half of what `pick` reads from each sample (samples it cannot read are skipped). */
  const lateMedian = (pick: (x: MemStatsSample['stats']) => number | undefined) =>
    median(
      late.flatMap((x) => {
        const v = pick(x.stats);
        return v === undefined ? [] : [v];
      }),
    );
  const perAlloc =
    (num: (st: MemStatsSample['stats']) => number | undefined) => (st: MemStatsSample['stats']) =>
      ratio(num(st), st.HeapAlloc);
  out.put('memstats.heapInuseToAllocRatio', lateMedian(perAlloc((st) => st.HeapInuse)));
  // Free slots inside in-use spans, independent of GOGC (HeapAlloc still counts unswept garbage).
  out.put(
    'memstats.heapSpanWasteBytes',
    lateMedian((st) =>
      st.HeapInuse !== undefined && st.HeapAlloc !== undefined
        ? Math.max(0, st.HeapInuse - st.HeapAlloc)
        : undefined,
    ),
  );
  out.put(
    'memstats.heapRetainedToAllocRatio',
    lateMedian(
      perAlloc((st) =>
        st.HeapInuse !== undefined && st.HeapIdle !== undefined && st.HeapReleased !== undefined
          ? st.HeapInuse + st.HeapIdle - st.HeapReleased
          : undefined,
      ),
    ),
  );

  out.series('memstats.heapAllocBytes', heapAlloc);
  out.series('memstats.heapInuseBytes', heapInuse);
  out.series('memstats.heapObjects', heapObjects);
  out.series('memstats.goroutines', goroutines);
}

/** Least-squares slope and R² over the steady-state part of a series. */
export function fitInto(
  out: FactSetBuilder,
  points: readonly SeriesPoint[],
  slopeId: string,
  r2Id: string,
): void {
  const fit = linearFit(steadyState(points));
  if (fit === undefined) return;
  out.put(slopeId, fit.slopePerSecond);
  out.put(r2Id, fit.r2);
}
