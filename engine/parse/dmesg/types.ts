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
}

export interface DmesgLog {
  kills: OomKill[];
}
