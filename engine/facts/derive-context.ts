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
