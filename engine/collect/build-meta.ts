import { basename } from 'node:path';
import { cgroupLimitBytes } from './cgroup/acquire-cgroup.js';
import { expvarCmdline } from './expvar/acquire-expvar.js';
import { goVersionFromMetrics } from './metrics/acquire-metrics.js';
import type { CollectedMeta, CollectWarning } from './types.js';

export interface MetaInput {
  target?: URL;
  pid?: number;
  cgroupDir?: string;
  cgroupVersion?: 1 | 2;
  /** The last raw artifacts seen of each kind (hints are read from them, never required). */
  varsText?: string;
  metricsText?: string;
  cgroupFiles?: Record<string, string>;
  procStatus?: string;
  /** The runtime variables of the process's environment (read-runtime-env.ts), when readable. */
  runtimeEnv?: Record<string, string>;
  startUnixMs: number;
  endUnixMs: number;
  intervalMs: number;
  durationMs: number;
  samplesPlanned: number;
  samplesTaken: number;
  aborted: boolean;
  notes: string[];
  warnings: CollectWarning[];
}

/**
 * meta.json with the keys the captured bundles use (service, runtime, cgroupLimitBytes,
 * startUnixMs, endUnixMs) plus how the run went. Every hint is best effort: the service name
 * from expvar `cmdline[0]` or else the `Name:` of /proc/<pid>/status; the runtime from
 * `go_info` on /metrics; the limit from the last cgroup snapshot.
 */
export function buildMeta(m: MetaInput): CollectedMeta {
  const cmdline = m.varsText === undefined ? undefined : expvarCmdline(m.varsText);
  const statusName =
    m.procStatus === undefined ? undefined : /^Name:\s*(.+)$/m.exec(m.procStatus)?.[1]?.trim();
  const service = cmdline?.[0] ? basename(cmdline[0]) : statusName;
  const runtime = m.metricsText === undefined ? undefined : goVersionFromMetrics(m.metricsText);
  const limit = m.cgroupFiles ? cgroupLimitBytes(m.cgroupFiles) : undefined;
  const meta: CollectedMeta = {
    ...(service ? { service } : {}),
    ...(m.pid !== undefined ? { pid: m.pid } : {}),
    ...(runtime ? { runtime } : {}),
    ...(cmdline ? { cmdline } : {}),
    ...(m.runtimeEnv !== undefined ? { env: m.runtimeEnv } : {}),
    ...(limit !== undefined ? { cgroupLimitBytes: limit } : {}),
    ...(m.cgroupVersion ? { cgroupVersion: m.cgroupVersion } : {}),
    ...(m.cgroupDir !== undefined ? { cgroupDir: m.cgroupDir } : {}),
    ...(m.target ? { target: m.target.href } : {}),
    startUnixMs: m.startUnixMs,
    endUnixMs: m.endUnixMs,
    collector: {
      tool: 'memtriage collect',
      intervalMs: m.intervalMs,
      durationMs: m.durationMs,
      samplesPlanned: m.samplesPlanned,
      samplesTaken: m.samplesTaken,
      aborted: m.aborted,
    },
    notes: m.notes,
    warnings: m.warnings,
  };
  return meta;
}
