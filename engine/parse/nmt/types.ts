/** Reserved and committed bytes of one NMT category (converted from KB). */
export interface NmtAmount {
  reservedBytes: number;
  committedBytes: number;
}

/** `jcmd <pid> VM.native_memory summary` (JDK 11, 17, 21). */
export interface NmtSummary {
  ts?: number;
  total: NmtAmount;
  /** Keyed by the category name as printed: `Java Heap`, `Class`, `Thread`, `Code`, `GC`, `Internal`, `Other`, `Metaspace`, … */
  categories: Record<string, NmtAmount>;
  /** `Class` section: `(classes #N)`. */
  classes?: number;
  /** `Thread` section: `(thread #N)`. */
  threads?: number;
}
