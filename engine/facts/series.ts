import type { SeriesPoint } from './types.js';

export interface LinearFit {
  /** Change of v per second (points are in unix ms). */
  slopePerSecond: number;
  /** Coefficient of determination of the least-squares line: 1 = on a line, 0 = no linear trend. */
  r2: number;
  n: number;
}

/**
 * Ordinary least-squares fit of v against t. Needs at least 3 points spanning some time;
 * returns undefined otherwise, because a "trend" from two points says nothing about fit.
 * A flat series (zero variance in v) has slope 0 and R² 0: it has no trend to explain.
 */
export function linearFit(points: readonly SeriesPoint[]): LinearFit | undefined {
  return fit(
    points.length,
    (i) => points[i]!.t,
    (i) => points[i]!.v,
  );
}

/**
 * linearFit over columns, for long series held in typed arrays: the points `t[i], v[i]` for each i
 * of `at` (all of them when absent), in that order. The same arithmetic, so the same result.
 */
export function linearFitColumns(
  t: ArrayLike<number>,
  v: ArrayLike<number>,
  at?: ArrayLike<number>,
): LinearFit | undefined {
  if (at === undefined)
    return fit(
      t.length,
      (i) => t[i]!,
      (i) => v[i]!,
    );
  return fit(
    at.length,
    (i) => t[at[i]!]!,
    (i) => v[at[i]!]!,
  );
}

function fit(n: number, tAt: (i: number) => number, vAt: (i: number) => number): LinearFit | undefined {
  if (n < 3) return undefined;
  // Centre t on the first point so unix-ms magnitudes don't eat float precision.
  const t0 = tAt(0);
  let sumT = 0;
  let sumV = 0;
  for (let i = 0; i < n; i++) {
    sumT += (tAt(i) - t0) / 1000;
    sumV += vAt(i);
  }
  const meanT = sumT / n;
  const meanV = sumV / n;
  let sTT = 0;
  let sTV = 0;
  let sVV = 0;
  for (let i = 0; i < n; i++) {
    const dt = (tAt(i) - t0) / 1000 - meanT;
    const dv = vAt(i) - meanV;
    sTT += dt * dt;
    sTV += dt * dv;
    sVV += dv * dv;
  }
  if (sTT === 0) return undefined;
  const slope = sTV / sTT;
  const r2 = sVV === 0 ? 0 : (sTV * sTV) / (sTT * sVV);
  return { slopePerSecond: slope, r2: Math.min(1, Math.max(0, r2)), n };
}

/**
 * Per-second rate of a monotonically increasing counter over the series window. A decrease is
 * a counter reset (process or cgroup restarted, or a wrapped counter): the value after the reset
 * counts from zero, as Prometheus' rate() does. Needs two points spanning some time.
 */
export function counterRate(points: readonly SeriesPoint[]): number | undefined {
  if (points.length < 2) return undefined;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const seconds = (last.t - first.t) / 1000;
  if (seconds <= 0) return undefined;
  let increase = 0;
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1]!.v;
    const cur = points[i]!.v;
    increase += cur >= prev ? cur - prev : cur;
  }
  return increase / seconds;
}

/** Points a FactSet series keeps (charts draw 120; the rest is evidence of shape, not of values). */
export const MAX_SERIES_POINTS = 2000;

/**
 * At most `max` points of a time-sorted series: the first, the last, and each bucket's lowest and
 * highest point in time order, so spikes and dips survive. A series of `max` points or fewer is
 * returned as it is. Facts are computed before this, on every point.
 */
export function boundSeries(points: SeriesPoint[], max = MAX_SERIES_POINTS): SeriesPoint[] {
  if (points.length <= max) return points;
  return boundIndices(points.length, (i) => points[i]!.v, max).map((i) => points[i]!);
}

/** boundSeries over columns: point objects are made for the kept points only. */
export function boundColumns(
  t: ArrayLike<number>,
  v: ArrayLike<number>,
  max = MAX_SERIES_POINTS,
): SeriesPoint[] {
  return boundIndices(t.length, (i) => v[i]!, max).map((i) => ({ t: t[i]!, v: v[i]! }));
}

function boundIndices(n: number, vAt: (i: number) => number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out = [0];
  const buckets = Math.floor((max - 2) / 2);
  const inner = n - 2;
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (to <= from) continue;
    let lo = from;
    let hi = from;
    for (let i = from + 1; i < to; i++) {
      if (vAt(i) < vAt(lo)) lo = i;
      if (vAt(i) > vAt(hi)) hi = i;
    }
    out.push(Math.min(lo, hi));
    if (hi !== lo) out.push(Math.max(lo, hi));
  }
  out.push(n - 1);
  return out;
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  // A Float64Array sorts numbers natively (a day of GC cycles: ~10× faster than a comparator);
  // it orders NaN last where the comparator leaves it in place, so NaN takes the old path.
  const sorted = values.some(Number.isNaN)
    ? [...values].sort((a, b) => a - b)
    : Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Largest of the numbers, skipping absent ones; undefined for none. A loop, not `Math.max(...xs)`:
 * spreading a day of GC cycles (hundreds of thousands) into arguments overflows the call stack.
 */
export function maxValue(values: Iterable<number | undefined>): number | undefined {
  let best: number | undefined;
  for (const v of values) if (v !== undefined && (best === undefined || v > best)) best = v;
  return best;
}

export function minValue(values: Iterable<number>): number | undefined {
  let best: number | undefined;
  for (const v of values) if (best === undefined || v < best) best = v;
  return best;
}

export function maxOf(points: readonly SeriesPoint[]): SeriesPoint | undefined {
  let best: SeriesPoint | undefined;
  for (const p of points) if (best === undefined || p.v > best.v) best = p;
  return best;
}

/** The points in the later half of the window (by time): steady state after start-up. */
export function secondHalf(points: readonly SeriesPoint[]): SeriesPoint[] {
  if (points.length === 0) return [];
  const from = (points[0]!.t + points[points.length - 1]!.t) / 2;
  return points.filter((p) => p.t >= from);
}

/** Builds a series from items that may lack a value; items without one are skipped. */
export function seriesOf<T>(
  items: readonly T[],
  time: (item: T) => number | undefined,
  value: (item: T) => number | undefined,
): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const item of items) {
    const t = time(item);
    const v = value(item);
    if (t !== undefined && v !== undefined && Number.isFinite(t) && Number.isFinite(v)) out.push({ t, v });
  }
  return out.sort((a, b) => a.t - b.t);
}

/**
 * The item of a time-sorted list closest to `t`, if it lies within `maxMs` of it (binary search):
 * readings of two sources are paired only when they describe the same moment.
 */
export function nearestWithin<T>(
  sorted: readonly T[],
  t: number,
  maxMs: number,
  time: (item: T) => number,
): T | undefined {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (time(sorted[mid]!) < t) lo = mid + 1;
    else hi = mid;
  }
  const a = sorted[lo];
  const b = sorted[lo - 1];
  const best =
    a === undefined ? b : b === undefined ? a : Math.abs(time(a) - t) <= Math.abs(time(b) - t) ? a : b;
  return best !== undefined && Math.abs(time(best) - t) <= maxMs ? best : undefined;
}
