import type { GctraceLog } from '../parse/gctrace/types.js';
import type { MemStatsSample } from '../parse/memstats/types.js';
import type { ParseResult } from '../parse/types.js';

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
 * gctrace.log, parsed while it was read: the log can be far larger than memory allows to hold as
 * text (a day of GODEBUG=gctrace=1 on a busy service), so it is streamed through the parser and
 * only the parse (typed-array columns, bounded; see GcSeries) is kept.
 */
export interface ParsedGctrace extends ParseResult<GctraceLog> {
  /** Size of the file; 0 for an empty gctrace.log, which counts as no gctrace. */
  bytes: number;
}

/** memstats.jsonl, parsed while it was read, for the same reason as gctrace.log. */
export interface ParsedMemstats extends ParseResult<MemStatsSample[]> {
  /** Size of the file; 0 for an empty memstats.jsonl, which counts as no MemStats. */
  bytes: number;
}

/**
 * The raw artifacts of an incident bundle, as read from disk (docs/capture-a-bundle.md).
 * Text files are decoded as UTF-8; profiles stay bytes; gctrace.log and memstats.jsonl are parsed as
 * they are read.
 * Every source is optional.
 */
export interface RawBundle {
  dir: string;
  meta?: BundleMeta;
  alert?: unknown;
  /** acquisition-warnings.json: `{target, warnings: [{source, message, count?}]}` from the server's collector. */
  acquisitionWarnings?: Record<string, unknown>;
  /** facts.json: fact values measured by the sender (generic webhook), keyed by catalogue id. */
  attachedFacts?: Record<string, unknown>;
  /** memstats.jsonl, parsed while it was read (bounded; see ExpvarJsonlParser). */
  memstats?: ParsedMemstats;
  gctrace?: ParsedGctrace;
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
