/** meta.json: free-form, but these keys are understood. */
export interface BundleMeta {
  service?: string;
  pid?: number;
  /** `go1.19.8`, the `java -version` text, or "" for a process without a managed runtime. */
  runtime?: string;
  cgroupLimitBytes?: number;
  startUnixMs?: number;
  endUnixMs?: number;
  /** host:port of the debug endpoint; else taken from `target`. */
  instance?: string;
  /** The URL `memtriage collect --target` sampled. */
  target?: string;
  /** The memory cgroup directory that was read. */
  cgroupDir?: string;
  /** Environment the process ran with, when captured (GOMEMLIMIT, GOGC, JAVA_TOOL_OPTIONS…). */
  env?: Record<string, string>;
  [key: string]: unknown;
}

/** A file that belongs to a timestamped folder or name (`cgroup/<ts>/`, `pprof/<ts>.pb.gz`). */
export interface Timed<T> {
  ts: number;
  value: T;
}

/**
 * The raw artifacts of an incident bundle, as read from disk (docs/capture-a-bundle.md).
 * Text files are decoded as UTF-8; profiles stay bytes. Every source is optional.
 */
export interface RawBundle {
  dir: string;
  meta?: BundleMeta;
  alert?: unknown;
  /** acquisition-warnings.json: `{target, warnings: [{source, message, count?}]}` from the server's collector. */
  acquisitionWarnings?: Record<string, unknown>;
  /** facts.json: fact values measured by the sender (generic webhook), keyed by catalogue id. */
  attachedFacts?: Record<string, unknown>;
  memstatsJsonl?: string;
  gctrace?: string;
  heapProfile?: Uint8Array;
  profiles: Timed<Uint8Array>[];
  heapText?: string;
  metricsJsonl?: string;
  /** goroutines.jsonl: `{"ts": <unix ms>, "goroutines": N}` per goroutine profile taken. */
  goroutinesJsonl?: string;
  cgroup: Timed<Record<string, string>>[];
  proc: Timed<Record<string, string>>[];
  nmt: Timed<string>[];
  jvmGcLog?: string;
  dmesg?: string;
  /** Entries that are not part of the layout (reported, not fatal). */
  unknownEntries: string[];
}
