import type { BundleMeta } from '../bundle/types.js';
/**
 * Shared shapes of live acquisition. Each source under engine/collect/<source>/ returns raw
 * artifacts (bytes or text exactly as served or read) plus warnings; nothing here parses them.
 * The bundle writer and collectBundle put them into the bundle layout of docs/capture-a-bundle.md, and the
 * server (issue 5) reuses the same acquire functions at alert time.
 */

/** Which part of acquisition a warning comes from. */
export type CollectSource = 'expvar' | 'pprof' | 'metrics' | 'cgroup' | 'proc' | 'bundle' | 'collect';

/** A problem that cost some data but not the run. Repeats are folded: `count` of them from `firstTs`. */
export interface CollectWarning {
  source: CollectSource;
  message: string;
  /** Unix ms of the first occurrence, when tied to a sample. */
  firstTs?: number;
  /** How many times the same source+message occurred (absent means once). */
  count?: number;
}

/** How one acquisition went, for progress lines and for deciding what to ask next. */
export type AcquireStatus = 'ok' | 'partial' | 'absent' | 'failed' | 'stopped';

export interface AcquireResult<T> {
  status: AcquireStatus;
  /** Present for ok and partial. */
  value?: T;
  warnings: CollectWarning[];
  /** Facts about the environment that are not problems (no /metrics, no PSI). */
  notes: string[];
}

/** Limits and plumbing shared by every source. Every field has a default. */
export interface AcquireContext {
  /** Defaults to the global fetch (Node 20's undici). */
  fetch?: typeof fetch;
  /** Per request, headers and body included. Default 5000 ms. */
  timeoutMs?: number;
  /** Body or file size cap; default per source (64 MiB profiles, 8 MiB others). */
  maxBytes?: number;
  /** The caller's stop signal (Ctrl-C, server shutdown). */
  signal?: AbortSignal;
}

export const DEFAULT_TIMEOUT_MS = 5_000;
export const MiB = 1024 * 1024;
export const DEFAULT_MAX_BYTES = 8 * MiB;
export const DEFAULT_PROFILE_MAX_BYTES = 64 * MiB;

/** The files of one proc snapshot, named as in the bundle (`proc/<ts>/<name>`). */
export interface ProcFiles {
  vmstat?: string;
  'pressure-memory'?: string;
  status?: string;
  smaps_rollup?: string;
}

/** meta.json as collect writes it: the bundle contract's keys plus how the run went. */
export interface CollectedMeta extends BundleMeta {
  startUnixMs: number;
  endUnixMs: number;
  /** expvar `cmdline`, as the process reports it. */
  cmdline?: string[];
  cgroupVersion?: 1 | 2;
  collector: {
    tool: 'memtriage collect';
    intervalMs: number;
    durationMs: number;
    samplesPlanned: number;
    samplesTaken: number;
    /** True when the run was stopped by its signal before the duration ended. */
    aborted: boolean;
  };
  notes: string[];
  warnings: CollectWarning[];
}

/** What collectBundle returns (and what the CLI prints a line about). */
export interface CollectSummary {
  outDir: string;
  startUnixMs: number;
  endUnixMs: number;
  samplesPlanned: number;
  samplesTaken: number;
  aborted: boolean;
  /** Count of artifacts written, per kind. */
  written: {
    memstats: number;
    metrics: number;
    cgroup: number;
    proc: number;
    heapProfiles: number;
    heapText: boolean;
  };
  warnings: CollectWarning[];
  notes: string[];
  meta: CollectedMeta;
}
