import type { FactUnit, SeriesPoint } from '../../facts/types.js';

/**
 * The series the fact layer records for charts (engine/facts/derive-*.ts `out.series(…)`), with
 * their unit and a legend label. `jvm.nmt.<Category>` is the NMT category that grew most; a
 * template may name it as `jvm.nmt.*`.
 */
export const CHART_SERIES: Readonly<Record<string, { unit: FactUnit; label: string }>> = {
  'gctrace.liveHeapBytes': { unit: 'bytes', label: 'live heap after GC' },
  'gctrace.goalBytes': { unit: 'bytes', label: 'GC heap goal' },
  'memstats.heapAllocBytes': { unit: 'bytes', label: 'HeapAlloc' },
  'memstats.heapInuseBytes': { unit: 'bytes', label: 'HeapInuse' },
  'memstats.heapObjects': { unit: 'count', label: 'heap objects' },
  'memstats.goroutines': { unit: 'count', label: 'goroutines' },
  'process.rssBytes': { unit: 'bytes', label: 'RSS' },
  'cgroup.usageBytes': { unit: 'bytes', label: 'cgroup usage' },
  'cgroup.failcnt': { unit: 'count', label: 'failcnt (hits of the limit)' },
  'jvm.offHeapCommittedBytes': { unit: 'bytes', label: 'off-heap committed (NMT)' },
  'jvm.heapAfterGcBytes': { unit: 'bytes', label: 'Java heap after GC' },
};

export const NMT_PREFIX = 'jvm.nmt.';

export function isChartSeries(id: string): boolean {
  return (
    id in CHART_SERIES ||
    id === `${NMT_PREFIX}*` ||
    (id.startsWith(NMT_PREFIX) && id.length > NMT_PREFIX.length)
  );
}

/** Finds a series in a diagnosis; `jvm.nmt.*` means whichever NMT category series is there. */
export function resolveSeries(
  all: Readonly<Record<string, SeriesPoint[]>>,
  id: string,
): { id: string; unit: FactUnit; label: string; points: SeriesPoint[] } | undefined {
  const key = id === `${NMT_PREFIX}*` ? Object.keys(all).find((k) => k.startsWith(NMT_PREFIX)) : id;
  if (key === undefined) return undefined;
  const points = all[key];
  if (points === undefined || points.length < 2) return undefined;
  const known = CHART_SERIES[key];
  if (known !== undefined) return { id: key, ...known, points };
  if (key.startsWith(NMT_PREFIX))
    return { id: key, unit: 'bytes', label: `NMT ${key.slice(NMT_PREFIX.length)} committed`, points };
  return undefined;
}

/**
 * At most `max` points, keeping the first, the last and each bucket's extreme (the highest value):
 * a leak chart must not lose its peak to averaging.
 */
export function downsample(points: readonly SeriesPoint[], max = 120): SeriesPoint[] {
  if (points.length <= max) return [...points];
  const out: SeriesPoint[] = [points[0]!];
  const inner = points.slice(1, -1);
  const size = inner.length / (max - 2);
  for (let b = 0; b < max - 2; b++) {
    const bucket = inner.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    if (bucket.length === 0) continue;
    out.push(bucket.reduce((m, p) => (p.v > m.v ? p : m)));
  }
  out.push(points[points.length - 1]!);
  return out;
}
