/** Reserved and committed bytes of one NMT category (converted from KB). */
export interface NmtAmount {
  reservedBytes: number;
  committedBytes: number;
  /** `(malloc=…KB #N)` sub-line (Total: `malloc: …KB #N`, JDK 17+): malloc'd bytes and count. */
  mallocBytes?: number;
  mallocCount?: number;
  /** `(mmap: reserved=…, committed=…)` sub-line (Total: `mmap:` line, JDK 17+). */
  mmapReservedBytes?: number;
  mmapCommittedBytes?: number;
  /** `(arena=…KB #N)` sub-line: resource-area chunks (Compiler, Thread, Symbol). */
  arenaBytes?: number;
}

/** Metaspace usage as printed under `Class` (`Metadata:` / `Class space:` blocks). */
export interface NmtMetaspaceStats {
  reservedBytes: number;
  committedBytes: number;
  usedBytes?: number;
}

/** `jcmd <pid> VM.native_memory summary` (JDK 11, 17, 21). */
export interface NmtSummary {
  ts?: number;
  total: NmtAmount;
  /** Keyed by the category name as printed: `Java Heap`, `Class`, `Thread`, `Code`, `GC`, `Internal`, `Other`, `Metaspace`, … */
  categories: Record<string, NmtAmount>;
  /** `Class` section: `(classes #N)`. */
  classes?: number;
  /** `Class` section: `(  instance classes #N, array classes #M)`. */
  instanceClasses?: number;
  arrayClasses?: number;
  /** `Thread` section: `(thread #N)`. */
  threads?: number;
  /** `Thread` section: `(stack: reserved=…, committed=…)`, already included in the Thread amount. */
  threadStack?: NmtAmount;
  /** `Class` section `Metadata:` block: non-class metaspace (reserved/committed/used). */
  metaspaceMetadata?: NmtMetaspaceStats;
  /** `Class` section `Class space:` block: compressed class space (absent without UseCompressedClassPointers). */
  metaspaceClassSpace?: NmtMetaspaceStats;
  /**
   * Set when the text held no usable `Total:` line, so `total` is zero and must not become a fact:
   * `not-enabled` = jcmd's "Native memory tracking is not enabled" reply (JVM started without
   * -XX:NativeMemoryTracking), `missing-total` = truncated, an error reply, or not an NMT summary.
   */
  unusable?: 'not-enabled' | 'missing-total';
}
