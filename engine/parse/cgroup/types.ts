import type { PsiSnapshot } from '../proc/types.js';

/**
 * One reading of a memory cgroup directory, normalised across v1 and v2.
 * Limits: `null` means unlimited ("max" in v2, v1's PAGE_COUNTER_MAX ≈ 2^63 rounded to pages);
 * `undefined` means the file was absent.
 */
export interface CgroupSnapshot {
  /** Unix ms of the reading (the bundle's `cgroup/<ts>/` folder name). */
  ts?: number;
  version: 1 | 2;
  /** v1 memory.usage_in_bytes, v2 memory.current. */
  usageBytes?: number;
  /** v1 memory.limit_in_bytes, v2 memory.max. */
  limitBytes?: number | null;
  /** v2 memory.high / memory.low / memory.min (v1 soft_limit_in_bytes maps to lowBytes is NOT done: semantics differ). */
  highBytes?: number | null;
  lowBytes?: number;
  minBytes?: number;
  /** v1 memory.max_usage_in_bytes, v2 memory.peak (5.19+). */
  peakBytes?: number;
  /**
   * Anonymous memory of the group swapped out: v2 memory.swap.current; v1 memory.stat `swap`
   * (printed only with swap accounting, CONFIG_MEMCG_SWAP and swapaccount=1).
   */
  swapBytes?: number;
  /** v1 memory.failcnt. v2 has no failcnt; memory.events `max` is the closest counter. */
  failcnt?: number;
  /** OOM kills in this cgroup: v1 memory.oom_control `oom_kill` (4.13+), v2 memory.events `oom_kill`. */
  oomKills?: number;
  /** v1 memory.oom_control `under_oom`. */
  underOom?: boolean;
  /** v1 memory.oom_control `oom_kill_disable`: when true, tasks at the limit hang instead of being killed. */
  oomKillDisable?: boolean;
  /**
   * v1 memory.stat `hierarchical_memory_limit`: the tightest limit of this cgroup and its ancestors
   * (a container whose own limit reads unlimited can still be bounded by its parent); null when unlimited.
   */
  hierarchicalLimitBytes?: number | null;
  /** v2 memory.events (low, high, max, oom, oom_kill, oom_group_kill). */
  events?: Record<string, number>;
  /** Normalised memory.stat (hierarchical totals preferred: v1 `total_*`), bytes or counts. */
  stat: CgroupStat;
  /** The raw memory.stat keys and values, as read. */
  rawStat: Record<string, number>;
  /**
   * memory.stat values above Number.MAX_SAFE_INTEGER, kept as decimal text instead of being rounded
   * (v1 prints unlimited `hierarchical_*_limit` as 9223372036854771712). Absent when there are none.
   */
  rawStatOversized?: Record<string, string>;
  /** memory.pressure (PSI), when present. */
  pressure?: PsiSnapshot;
}

/** memory.stat under one set of names. v1 name → v2 name noted where they differ. */
export interface CgroupStat {
  /** v1 rss (+ rss_huge is included in rss) → v2 anon. */
  anonBytes?: number;
  /** v1 cache → v2 file. */
  fileBytes?: number;
  /** v1 mapped_file → v2 file_mapped. */
  fileMappedBytes?: number;
  shmemBytes?: number;
  /** v1 inactive_file/active_file → same in v2. */
  activeFileBytes?: number;
  inactiveFileBytes?: number;
  activeAnonBytes?: number;
  inactiveAnonBytes?: number;
  unevictableBytes?: number;
  /** Counters (events since cgroup creation). */
  pgfault?: number;
  pgmajfault?: number;
  /** v1 pgpgin/pgpgout (pages) have no v2 equivalent. */
  pgpgin?: number;
  pgpgout?: number;
  /** v2 pgscan/pgsteal (and v1 does not have them). */
  pgscan?: number;
  pgsteal?: number;
  workingsetRefaultAnon?: number;
  workingsetRefaultFile?: number;
  workingsetActivateFile?: number;
}
