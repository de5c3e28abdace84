import type { GcCycle, GcSeries, GctraceLog } from '../parse/gctrace/types.js';

/**
 * The cycles of a parsed gctrace as the facts read them: the typed-array columns of GcSeries, never
 * one object per cycle. While the log held at most the parser's `seriesCap` cycles (every real
 * bundle), `complete` is true and every cycle is a point, so each figure is exact. A longer log was
 * thinned evenly (`stride` > 1): slopes, medians and shares are then read from that even sample;
 * counts and extremes come from the parser's totals over every cycle; the last cycles, at full
 * resolution, from the cycle objects it kept (`log.cycles`).
 */
export interface GcCycles {
  s: GcSeries;
  /** Number of points. */
  n: number;
  complete: boolean;
  /** Cycles in the log (every one, thinned or not). */
  count: number;
}

export function gcCycles(log: GctraceLog): GcCycles {
  const s = log.series ?? seriesOf(log.cycles);
  const n = s.atSeconds.length;
  const complete = s.stride === 1;
  return { s, n, complete, count: complete ? n : Math.max(n, log.cycleCount ?? n) };
}

/** Stacks bytes of point i, undefined where the line had none (before Go 1.18). */
export function stacksAt(s: GcSeries, i: number): number | undefined {
  const v = s.stacksBytes[i];
  return v === undefined || Number.isNaN(v) ? undefined : v;
}

/**
 * The last `k` consecutive cycles' live heap and goal, oldest first: from the series when it holds
 * every cycle, else from the full-resolution cycle objects the parser kept at the end of the log.
 */
export function lastCycles(log: GctraceLog, g: GcCycles, k: number): { live: number[]; goal: number[] } {
  if (!g.complete && log.cycles.length >= 2) {
    const tail = log.cycles.slice(-k);
    return { live: tail.map((c) => c.liveHeapBytes), goal: tail.map((c) => c.goalBytes) };
  }
  const from = Math.max(0, g.n - k);
  return {
    live: Array.from(g.s.liveHeapBytes.subarray(from, g.n)),
    goal: Array.from(g.s.goalBytes.subarray(from, g.n)),
  };
}

/** Columns built from cycle objects, for a GctraceLog made without a series. */
function seriesOf(cycles: readonly GcCycle[]): GcSeries {
  const col = <T extends Float64Array | Uint32Array | Uint8Array>(
    make: new (n: number) => T,
    value: (c: GcCycle) => number,
  ): T => {
    const out = new make(cycles.length);
    cycles.forEach((c, i) => (out[i] = value(c)));
    return out;
  };
  return {
    stride: 1,
    num: col(Uint32Array, (c) => c.num),
    atSeconds: col(Float64Array, (c) => c.atSeconds),
    cpuPercent: col(Uint8Array, (c) => c.cpuPercent),
    forced: col(Uint8Array, (c) => (c.forced ? 1 : 0)),
    heapStartBytes: col(Float64Array, (c) => c.heapStartBytes),
    heapEndBytes: col(Float64Array, (c) => c.heapEndBytes),
    liveHeapBytes: col(Float64Array, (c) => c.liveHeapBytes),
    goalBytes: col(Float64Array, (c) => c.goalBytes),
    stacksBytes: col(Float64Array, (c) => c.stacksBytes ?? NaN),
    line: col(Uint32Array, (c) => c.line),
  };
}
