/** One kernel OOM-killer report. Sizes converted from kB to bytes. */
export interface OomKill {
  /** 1-based line of the `Killed process` line. */
  line: number;
  /** true for `Memory cgroup out of memory`, false for a global `Out of memory`. */
  memcg: boolean;
  pid: number;
  processName: string;
  totalVmBytes?: number;
  anonRssBytes?: number;
  fileRssBytes?: number;
  shmemRssBytes?: number;
  /** Process that invoked the OOM killer (`X invoked oom-killer: …`). */
  invokedBy?: string;
  /** The cgroup named in `oom-kill:…,oom_memcg=/…,task_memcg=/…`. */
  oomMemcg?: string;
  taskMemcg?: string;
  /** `memory: usage NkB, limit NkB, failcnt N` of the report, when present. */
  memcgUsageBytes?: number;
  memcgLimitBytes?: number;
  memcgFailcnt?: number;
  /** `constraint=` of the `oom-kill:` line: CONSTRAINT_MEMCG, CONSTRAINT_NONE (global), CONSTRAINT_CPUSET, … */
  constraint?: string;
  /** `oom_score_adj:` of the killed process. */
  oomScoreAdj?: number;
  /** Seconds since boot from the `[ 4571.137015]` printk timestamp of the `Killed process` line, when present. */
  kernelTimeSeconds?: number;
}

export interface DmesgLog {
  kills: OomKill[];
}
