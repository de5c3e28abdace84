/**
 * The numeric fields of Go's runtime.MemStats that memtriage uses, under their Go names.
 * Every field is optional: a source may carry only some (Prometheus exposes a subset).
 * Bytes are bytes; PauseTotalNs is nanoseconds; LastGC is unix nanoseconds; GCCPUFraction is 0–1.
 */
export interface MemStatsFields {
  Alloc: number;
  TotalAlloc: number;
  Sys: number;
  Mallocs: number;
  Frees: number;
  HeapAlloc: number;
  HeapSys: number;
  HeapIdle: number;
  HeapInuse: number;
  HeapReleased: number;
  HeapObjects: number;
  StackInuse: number;
  StackSys: number;
  MSpanInuse: number;
  MSpanSys: number;
  MCacheInuse: number;
  MCacheSys: number;
  BuckHashSys: number;
  GCSys: number;
  OtherSys: number;
  NextGC: number;
  LastGC: number;
  PauseTotalNs: number;
  NumGC: number;
  NumForcedGC: number;
  GCCPUFraction: number;
}

export type MemStatsField = keyof MemStatsFields;

/** One observation of a Go process's memory statistics. */
export interface MemStatsSample {
  /** Unix milliseconds; absent for a single snapshot without a timestamp (heap.txt). */
  ts?: number;
  stats: Partial<MemStatsFields>;
  /** runtime.NumGoroutine() (expvar `goroutines` or Prometheus `go_goroutines`), when present. */
  goroutines?: number;
  /**
   * GOMEMLIMIT in bytes when the source reports it (runtime/metrics `/gc/gomemlimit:bytes`). Kept as
   * reported: math.MaxInt64 (2^63 − 1, ≈ 9.22e18) means "no limit set".
   */
  memoryLimitBytes?: number;
  /** GOGC percent when the source reports it (runtime/metrics `/gc/gogc:percent`; 100 unless set by GOGC / debug.SetGCPercent). */
  gogcPercent?: number;
  /** Process command line (expvar `cmdline`). */
  cmdline?: string[];
}
