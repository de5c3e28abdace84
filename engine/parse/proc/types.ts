/** One line of PSI: `some|full avg10=… avg60=… avg300=… total=…` (avg in percent, total in µs). */
export interface PsiLine {
  avg10: number;
  avg60: number;
  avg300: number;
  totalMicros: number;
}

export interface PsiSnapshot {
  ts?: number;
  some?: PsiLine;
  full?: PsiLine;
}

/** /proc/vmstat normalised over old and new kernel key names; counters are since boot. */
export interface VmstatSnapshot {
  ts?: number;
  /** Every key as read. */
  raw: Record<string, number>;
  /** pgscan_kswapd (4.x+), or the sum of pgscan_kswapd_{dma,dma32,normal,movable} on old kernels. */
  pgscanKswapd?: number;
  pgscanDirect?: number;
  pgstealKswapd?: number;
  pgstealDirect?: number;
  /** allocstall (old) or the sum of allocstall_{dma,dma32,normal,movable} (4.x+). */
  allocstall?: number;
  pgmajfault?: number;
  pgfault?: number;
  pgpgin?: number;
  pgpgout?: number;
  pswpin?: number;
  pswpout?: number;
  /** workingset_refault (≤5.8) or workingset_refault_file + workingset_refault_anon (5.9+). */
  workingsetRefault?: number;
  workingsetRefaultFile?: number;
  workingsetRefaultAnon?: number;
  oomKill?: number;
}

/** The memory lines of /proc/<pid>/status. Sizes converted from kB to bytes. */
export interface ProcStatus {
  ts?: number;
  name?: string;
  pid?: number;
  vmRssBytes?: number;
  vmHwmBytes?: number;
  vmSizeBytes?: number;
  rssAnonBytes?: number;
  rssFileBytes?: number;
  rssShmemBytes?: number;
  vmSwapBytes?: number;
  threads?: number;
}
