import type { SeriesPoint } from '../../facts/types.js';
import type { ParseResult, ParseWarning } from '../types.js';

/**
 * goroutines.jsonl: one `{"ts": <unix ms>, "goroutines": N}` per goroutine profile taken (N is the
 * `goroutine profile: total N` line of /debug/pprof/goroutine?debug=1). Bad lines are warnings.
 */
export function parseGoroutineCounts(text: string): ParseResult<SeriesPoint[]> {
  const points: SeriesPoint[] = [];
  const warnings: ParseWarning[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      warnings.push({ line: i + 1, message: 'not JSON' });
      return;
    }
    const rec = value as { ts?: unknown; goroutines?: unknown };
    if (typeof rec.ts !== 'number' || typeof rec.goroutines !== 'number' || rec.goroutines < 0) {
      warnings.push({ line: i + 1, message: 'expected {"ts": <unix ms>, "goroutines": <count>}' });
      return;
    }
    points.push({ t: rec.ts, v: rec.goroutines });
  });
  return { value: points.sort((a, b) => a.t - b.t), warnings };
}
