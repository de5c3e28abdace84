import { formatFactValue } from '../../format/units.js';
import type { ChartData } from '../types.js';

const BARS = '▁▂▃▄▅▆▇█';

/** Values → a Unicode bar sparkline of at most `width` characters (each the max of its bucket). */
export function sparkline(values: readonly number[], width = 24, max?: number): string {
  if (values.length === 0) return '';
  const n = Math.min(width, values.length);
  const buckets = Array.from({ length: n }, (_, i) => {
    const part = values.slice(Math.floor((i * values.length) / n), Math.floor(((i + 1) * values.length) / n));
    return Math.max(...part);
  });
  const lo = Math.min(0, ...buckets);
  const hi = Math.max(max ?? -Infinity, ...buckets);
  return buckets
    .map((v) => BARS[hi === lo ? 0 : Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))])
    .join('');
}

/**
 * One line per series for text channels: `live heap after GC ▁▂▃▅▇█ 0 B → 88.0 MiB (limit 256 MiB)`.
 * With a limit, bars are scaled to it, so a line near the top means "near the limit".
 */
export function chartSparklines(chart: ChartData): string[] {
  return chart.series.map((s) => {
    const vs = s.points.map((p) => p.v);
    const first = formatFactValue(vs[0] ?? 0, chart.unit);
    const last = formatFactValue(vs[vs.length - 1] ?? 0, chart.unit);
    const peak = Math.max(...vs);
    const peakText = peak > (vs[vs.length - 1] ?? 0) ? `, peak ${formatFactValue(peak, chart.unit)}` : '';
    const limit = chart.limit
      ? ` (${chart.limit.label} ${formatFactValue(chart.limit.value, chart.unit)})`
      : '';
    return `${s.name} ${sparkline(vs, 24, chart.limit?.value)} ${first} → ${last}${peakText}${limit}`;
  });
}
