/** One collection from the JVM unified GC log (-Xlog:gc). Sizes in bytes. */
export interface JvmGcEvent {
  line: number;
  /** JVM uptime in seconds (`[2.196s]`), when the decoration is present. */
  uptimeSeconds?: number;
  gcId: number;
  /** `Pause Young`, `Pause Full`, `Pause Remark`, `Pause Cleanup`, `Garbage Collection` (ZGC) … */
  kind: string;
  /** Text in parentheses after the kind: `(Normal) (G1 Evacuation Pause)`, `(Allocation Failure)`. */
  cause?: string;
  beforeBytes?: number;
  afterBytes?: number;
  committedBytes?: number;
  /** Stop-the-world time, for `Pause …` events only. */
  pauseMs?: number;
  /**
   * Duration of an event that is not a pause: a G1 `Concurrent Mark Cycle`, a ZGC `Garbage
   * Collection` / `Minor Collection` / `Major Collection` (JDK 21 prints `0.123s`). Kept apart
   * from pauseMs so that summing pauses does not count concurrent work.
   */
  durationMs?: number;
  /** Wall clock of the line (unix ms) when a `time`/`utctime`/`timemillis` decoration is present. */
  timeUnixMs?: number;
}

export interface JvmGcLog {
  events: JvmGcEvent[];
  /** Collector name when the log says it (`Using G1`, `Using Parallel`, `Using The Z Garbage Collector`). */
  collector?: string;
}
