import type { SeriesPoint } from './types.js';

/** What every derivation may need from outside its own source. */
export interface DeriveContext {
  /** The container's memory limit: the cgroup's, else meta.json cgroupLimitBytes. */
  limitBytes?: number;
  /** Process start (meta.json startUnixMs), to place gctrace `@Ns` and JVM uptime on the clock. */
  startMs?: number;
  /** End of the bundle window (meta.json endUnixMs, else the last artifact timestamp). */
  endMs?: number;
}

/**
 * Share of the window treated as start-up and left out of trend fits. Programs load caches and
 * warm pools when they start (pub-healthy-go's live heap climbs 0 → 31 MB in its first second, then
 * stays flat); fitting that ramp would read as growth. Live captures at alert time start mid-life and
 * lose only a fifth of their points.
 */
export const WARMUP_FRACTION = 0.2;

/** steadyState over a column of times: the indices of the points it keeps, in order. */
export function steadyIndices(t: ArrayLike<number>): Uint32Array {
  const n = t.length;
  if (n === 0) return new Uint32Array(0);
  const t0 = t[0]!;
  const from = t0 + WARMUP_FRACTION * (t[n - 1]! - t0);
  let count = 0;
  for (let i = 0; i < n; i++) if (t[i]! >= from) count++;
  const out = new Uint32Array(count);
  for (let i = 0, k = 0; i < n; i++) if (t[i]! >= from) out[k++] = i;
  return out;
}

/** Points after the start-up share of the window. */
export function steadyState(points: readonly SeriesPoint[]): SeriesPoint[] {
  if (points.length === 0) return [];
  const t0 = points[0]!.t;
  const from = t0 + WARMUP_FRACTION * (points[points.length - 1]!.t - t0);
  return points.filter((p) => p.t >= from);
}

export function ratio(num: number | undefined, den: number | undefined): number | undefined {
  if (num === undefined || den === undefined || den <= 0) return undefined;
  return num / den;
}
