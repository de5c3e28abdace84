/**
 * JVM memory, threads, classes and GC as Prometheus exporters publish them, in one shape whichever
 * exporter wrote the scrape (see prom-to-jvm.ts for the names). Every field is optional: an exporter
 * may be configured without a binder, and an absent reading is never zero.
 */

/** One MemoryUsage (java.lang.management.MemoryUsage) in bytes. `maxBytes` is absent when the JVM says -1 (undefined). */
export interface JvmMemoryUsage {
  usedBytes?: number;
  committedBytes?: number;
  maxBytes?: number;
}

/** One MemoryPoolMXBean: `G1 Eden Space`, `G1 Old Gen`, `Metaspace`, `Compressed Class Space`, `CodeHeap 'non-nmethods'`, … */
export interface JvmMemoryPool extends JvmMemoryUsage {
  /** Micrometer tags pools with `area`; client_java's pool metrics do not, so it is absent there. */
  area?: 'heap' | 'nonheap';
}

/** One BufferPoolMXBean: `direct`, `mapped`, `mapped - 'non-volatile memory'` (JDK 14+). */
export interface JvmBufferPool {
  usedBytes?: number;
  capacityBytes?: number;
  count?: number;
}

export interface JvmGcTotals {
  count: number;
  seconds: number;
  /**
   * `pause`: Micrometer's `jvm.gc.pause` (GC notifications: stop-the-world pauses).
   * `collection`: client_java's `jvm_gc_collection_seconds` (GarbageCollectorMXBean count/time per
   * collector); on JDK 20+ G1 it also includes the `G1 Concurrent GC` bean, so it is not pause time only.
   */
  kind: 'pause' | 'collection';
}

export interface JvmMetrics {
  /** Which naming scheme was recognised. */
  scheme: 'micrometer' | 'client_java';
  heap: JvmMemoryUsage;
  nonHeap: JvmMemoryUsage;
  /** Keyed by pool name as the JVM reports it. */
  pools: Record<string, JvmMemoryPool>;
  /** Keyed by buffer pool name. `direct` is what -XX:MaxDirectMemorySize limits. */
  bufferPools: Record<string, JvmBufferPool>;
  threads: { live?: number; daemon?: number; peak?: number };
  classesLoaded?: number;
  gc?: JvmGcTotals;
  /** `process_resident_memory_bytes` (client_java StandardExports / ProcessMetrics: VmRSS of /proc/self/status). */
  processRssBytes?: number;
}
