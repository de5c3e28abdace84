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
  raw: string;
}

export interface GctraceLog {
  cycles: GcCycle[];
  /** Number of separate `GC forced` lines (forced periodic GC by sysmon after 2 minutes without a GC). */
  forcedGcLines: number;
  scavenges: ScavengeLine[];
  /** Lines that were not gctrace (application logs); counted, not kept. */
  otherLines: number;
}
