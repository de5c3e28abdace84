/** One `gc N @Ts P%: …` line of GODEBUG=gctrace=1 output. Sizes are bytes (gctrace's "MB" is MiB). */
export interface GcCycle {
  /** 1-based line number in the source text. */
  line: number;
  /** GC number as printed (`gc 12`). */
  num: number;
  /** Seconds since program start (`@3.141s`). */
  atSeconds: number;
  /** Percentage of available CPU spent in GC since program start (`5%`), 0–100. */
  cpuPercent: number;
  /** The line ended with ` (forced)` (runtime.GC() or debug.FreeOSMemory()). */
  forced: boolean;
  /** Wall-clock phases in ms: sweep termination, concurrent mark+scan, mark termination. */
  wallMs: [number, number, number];
  /** Heap size at GC start, at GC end, and marked live heap, in bytes. */
  heapStartBytes: number;
  heapEndBytes: number;
  liveHeapBytes: number;
  /** Heap goal of this cycle, bytes. */
  goalBytes: number;
  /** Go 1.18+ only: scannable stack size and globals, bytes. */
  stacksBytes?: number;
  globalsBytes?: number;
  /** GOMAXPROCS (`N P`). */
  procs: number;
}

/** A scavenger report line (`scav: …`, or the older `scvg: …`), as printed with GODEBUG=gctrace=1. */
export interface ScavengeLine {
  line: number;
  /** Bytes released to the OS in this report, when the line says so. */
  releasedBytes?: number;
  /**
   * Heap memory released to the OS so far (HeapReleased), when the line says so: `released: N` of an
   * `scvg: inuse: …` report, `N KiB total` / `N KiB now` of a `scav …` line.
   */
  heapReleasedBytes?: number;
  raw: string;
}

/**
 * Every cycle as typed-array columns, for slopes and rates over long logs. A million `GcCycle`
 * objects cost about 200 MB of heap; these columns cost 46 bytes per point. When the number of
 * points reaches the parser's `seriesCap`, every other point is dropped and `stride` doubles, so
 * the series keeps the shape of the whole run in bounded memory (point i is cycle i × stride).
 * The last point is always the log's last cycle: when thinning skipped it, it is appended after
 * the evenly spaced points (so the last gap may hold fewer than `stride` cycles). All columns
 * have the same length.
 */
export interface GcSeries {
  /** 1 while every cycle is held; 2^k after the series was thinned k times. */
  stride: number;
  num: Uint32Array;
  atSeconds: Float64Array;
  /** GC CPU percent since program start, 0–100. */
  cpuPercent: Uint8Array;
  /** 1 when the cycle ended in ` (forced)`. */
  forced: Uint8Array;
  heapStartBytes: Float64Array;
  heapEndBytes: Float64Array;
  liveHeapBytes: Float64Array;
  goalBytes: Float64Array;
  /** Go 1.18+ scannable stacks, bytes; NaN where the line has no `MB stacks`. */
  stacksBytes: Float64Array;
  /** 1-based line number of each cycle in the log. */
  line: Uint32Array;
}

/** Figures over every cycle of the log, kept while streaming whatever the series' stride. */
export interface GcTotals {
  /** Largest live heap of any cycle, bytes. */
  maxLiveHeapBytes: number;
  /** Cycles marked ` (forced)`. */
  forcedCycles: number;
}

export interface GctraceLog {
  cycles: GcCycle[];
  /** Number of separate `GC forced` lines (forced periodic GC by sysmon after 2 minutes without a GC). */
  forcedGcLines: number;
  scavenges: ScavengeLine[];
  /** Lines that were not gctrace (application logs); counted, not kept. Blank lines are not counted. */
  otherLines: number;
  /**
   * Total number of cycles parsed. Equal to `cycles.length` unless the parser was told to keep
   * only the last N cycle objects (`keepLast`, for huge streamed logs).
   */
  cycleCount?: number;
  /** Total number of scavenger lines parsed (`scavenges` may hold only the last N). */
  scavengeCount?: number;
  /** Every cycle in columns (possibly thinned; see GcSeries). */
  series?: GcSeries;
  /** Figures over every cycle, also when `series` is thinned. */
  totals?: GcTotals;
  /**
   * Line numbers of the `GC forced` lines (the last `keepLast` of them; `forcedGcLines` counts
   * all), so a log can be cut at a line after parsing (engine/eval/degrade.ts).
   */
  forcedGcLineNumbers?: number[];
  /**
   * Times the gc number went backwards: the process restarted and wrote to the same log, so `@Ns`
   * restarts from zero too. Each one also gives a warning on its line.
   */
  restarts?: number;
}
