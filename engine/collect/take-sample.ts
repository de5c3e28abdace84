import { acquireCgroup } from './cgroup/acquire-cgroup.js';
import { acquireExpvar } from './expvar/acquire-expvar.js';
import { acquireMetrics } from './metrics/acquire-metrics.js';
import { acquireHeapProfile } from './pprof/acquire-heap-profile.js';
import { acquireProc } from './proc/acquire-proc.js';
import type { BundleWriter } from './bundle-writer.js';
import type { CgroupFiles } from './cgroup/acquire-cgroup.js';
import type { ProcTarget } from './proc/acquire-proc.js';
import type { AcquireContext, AcquireResult, AcquireStatus, ProcFiles } from './types.js';
import type { WarningLog } from './warning-log.js';

export interface SampleSources {
  target?: URL;
  cgroupDir?: string;
  proc?: ProcTarget;
  /** False once /metrics answered 404: no need to ask again every sample. */
  metrics: boolean;
  ctx: AcquireContext;
}

export type SampleSourceName = 'expvar' | 'metrics' | 'cgroup' | 'proc' | 'pprof';

export interface SampleOutcome {
  statuses: Partial<Record<SampleSourceName, AcquireStatus | 'invalid'>>;
  /** Raw artifacts of this sample, for meta.json hints. */
  varsText?: string;
  metricsText?: string;
  cgroup?: CgroupFiles;
  proc?: ProcFiles;
  written: { memstats: boolean; metrics: boolean; cgroup: boolean; proc: boolean; heapProfile: boolean };
}

/**
 * One sample: every configured source at once, each written as soon as it arrives, all under
 * one `ts` so the series line up. A failing source costs only its own artifact.
 */
export async function takeSample(
  ts: number,
  src: SampleSources,
  writer: BundleWriter,
  log: WarningLog,
  withProfile = false,
): Promise<SampleOutcome> {
  const out: SampleOutcome = {
    statuses: {},
    written: { memstats: false, metrics: false, cgroup: false, proc: false, heapProfile: false },
  };
  const record = <T>(name: SampleSourceName, res: AcquireResult<T>): T | undefined => {
    out.statuses[name] = res.status;
    log.add(res.warnings, ts);
    log.note(res.notes);
    return res.value;
  };
  const jobs: Promise<void>[] = [];
  const { target } = src;
  if (target) {
    jobs.push(
      acquireExpvar(target, src.ctx).then(async (res) => {
        const text = record('expvar', res);
        if (text === undefined) return;
        out.varsText = text;
        out.written.memstats = await writer.appendMemstats(ts, text);
        if (!out.written.memstats) out.statuses.expvar = 'invalid';
      }),
    );
    if (src.metrics) {
      jobs.push(
        acquireMetrics(target, src.ctx).then(async (res) => {
          const text = record('metrics', res);
          if (text === undefined) return;
          out.metricsText = text;
          await writer.appendMetrics(ts, text);
          out.written.metrics = true;
        }),
      );
    }
    if (withProfile) {
      jobs.push(
        acquireHeapProfile(target, src.ctx).then(async (res) => {
          const bytes = record('pprof', res);
          if (bytes === undefined) return;
          await writer.writeHeapProfile(ts, bytes);
          out.written.heapProfile = true;
        }),
      );
    }
  }
  if (src.cgroupDir !== undefined) {
    jobs.push(
      acquireCgroup(src.cgroupDir, src.ctx).then(async (res) => {
        const value = record('cgroup', res);
        if (value === undefined) return;
        out.cgroup = value;
        out.written.cgroup = (await writer.writeCgroupSnapshot(ts, value.files)) > 0;
      }),
    );
  }
  if (src.proc) {
    jobs.push(
      acquireProc(src.proc, src.ctx).then(async (res) => {
        const value = record('proc', res);
        if (value === undefined) return;
        out.proc = value;
        out.written.proc = (await writer.writeProcSnapshot(ts, value)) > 0;
      }),
    );
  }
  const settled = await Promise.allSettled(jobs);
  for (const s of settled) {
    // Only the writer can reject here (disk full, permissions): keep sampling, report it.
    if (s.status === 'rejected') {
      log.add(
        [{ source: 'bundle', message: `write failed: ${(s.reason as Error)?.message ?? String(s.reason)}` }],
        ts,
      );
    }
  }
  return out;
}

/** `expvar ok, metrics absent, cgroup ok, proc partial` for progress lines. */
export function describeStatuses(statuses: SampleOutcome['statuses']): string {
  const order: SampleSourceName[] = ['expvar', 'metrics', 'pprof', 'cgroup', 'proc'];
  const parts = order.filter((n) => statuses[n] !== undefined).map((n) => `${n} ${statuses[n]}`);
  return parts.length ? parts.join(', ') : 'no sources';
}
