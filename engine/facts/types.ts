/** Units a fact can have. Rule values are checked against these (a bytes fact cannot be compared with `80%`). */
export type FactUnit =
  | 'bytes'
  | 'bytes/s'
  | 'count'
  | 'count/s'
  /** A fraction 0–1 (a `%` literal in a rule is divided by 100). R² is a ratio too. */
  | 'ratio'
  /** 0–100, as the kernel prints PSI averages. */
  | 'percent'
  | 'seconds'
  | 'boolean'
  | 'string';

/** Where a fact comes from; the first segment of its id. */
export type FactSource =
  | 'memstats'
  | 'gctrace'
  | 'pprof'
  | 'cgroup'
  | 'vmstat'
  | 'psi'
  | 'process'
  | 'jvm'
  | 'kernel'
  | 'runtime'
  | 'alert'
  | 'signal'
  | 'acquisition';

export interface FactDefinition {
  id: string;
  unit: FactUnit;
  source: FactSource;
  description: string;
}

export type FactValue = number | boolean | string;

/** One point of a time series behind a derived fact; t is unix ms, v is in the fact's unit. */
export interface SeriesPoint {
  t: number;
  v: number;
}

export interface FactWarning {
  /** Bundle-relative path of the artifact, e.g. `gctrace.log` or `cgroup/1795636526081/memory.stat`. */
  file: string;
  line?: number;
  message: string;
}

export interface MissingSource {
  source: FactSource;
  reason: string;
}

/**
 * What acquisition could not get (meta.json `warnings`, acquisition-warnings.json), for the
 * runbook: each problem once, with how often it happened.
 */
export interface AcquisitionReport {
  /** The configured target that was read, when the server acquired the bundle. */
  target?: string;
  /** No configured target matched the alert: the labels the targets' matchers look at (`service=checkout`). */
  noTarget?: string;
  /** Nothing but the alert (and attached facts) is in the bundle. */
  nothingAcquired: boolean;
  problems: { source: string; message: string; count: number }[];
}

/** Everything memtriage knows about an incident, ready for the rules. */
export interface FactSet {
  /** Keyed by fact id. A fact that could not be computed is absent, never zero. */
  values: Record<string, FactValue>;
  missingSources: MissingSource[];
  warnings: FactWarning[];
  /** Named series (for charts and evidence): e.g. `gctrace.liveHeapBytes`, `cgroup.usageBytes`. */
  series: Record<string, SeriesPoint[]>;
  /** Allocation sites that grew between the first and last heap profile, biggest first (at most 10). */
  growingSites: {
    function: string;
    location?: string;
    kind: string;
    inuseBytesDelta: number;
    lastInuseBytes: number;
  }[];
  /** Present when the bundle says how acquisition went (see AcquisitionReport). */
  acquisition?: AcquisitionReport;
}
