import { createBundleWriter } from './bundle-writer.js';
import { readRuntimeEnv } from './proc/read-runtime-env.js';
import { buildMeta } from './build-meta.js';
import { CollectFailedError } from './collect-errors.js';
import { prepareOutDir, validateCollectOptions } from './collect-options.js';
import { acquireHeapProfile, acquireHeapText } from './pprof/acquire-heap-profile.js';
import { describeStatuses, takeSample } from './take-sample.js';
import { createWarningLog } from './warning-log.js';
import { DEFAULT_TIMEOUT_MS } from './types.js';
import type { SampleSources } from './take-sample.js';
import type { CollectSummary } from './types.js';

export interface CollectOptions {
  /** `http(s)://host:port` of a Go service with expvar and net/http/pprof. */
  target?: string;
  /** A memory cgroup directory (v1 memory controller or v2). */
  cgroupDir?: string;
  pid?: number;
  durationMs: number;
  intervalMs: number;
  outDir: string;
  /** procfs mount (tests use a fake tree). Default `/proc`. */
  procRoot?: string;
  /**
   * Read this host's /proc/vmstat and /proc/pressure/memory as the service's host evidence.
   * Default true (`memtriage collect` runs on the service's host); false for a remote service,
   * whose host is not this one: then only `/proc/<pid>` is read, when a pid is given.
   */
  hostFiles?: boolean;
  /** Take a heap profile every N ms during the run (pprof/<ts>.pb.gz), not only at the end. */
  profileEveryMs?: number;
  /** Stop early (Ctrl-C): what was collected is kept and the run still finishes the bundle. */
  signal?: AbortSignal;
  log?: (msg: string) => void;
  now?: () => number;
  fetch?: typeof fetch;
  /** Per request. Default 5000 ms. */
  requestTimeoutMs?: number;
  /** Deadline for the final heap profile after an abort. Default 2000 ms. */
  finalTimeoutMs?: number;
}

/**
 * `memtriage collect`: samples expvar, /metrics, the cgroup and /proc every interval for the
 * duration (a sample at t=0 and at every interval up to and including t=duration), then takes
 * the heap profile and its debug=1 text, and writes meta.json. An abort ends sampling at once
 * but still finishes the bundle. Any failure is a warning; only a run that collected nothing
 * at all throws CollectFailedError (after writing meta.json). Bad options throw InputError
 * before anything is written.
 */
export async function collectBundle(opts: CollectOptions): Promise<CollectSummary> {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => undefined);
  const v = await validateCollectOptions(opts);
  await prepareOutDir(opts.outDir);
  const writer = createBundleWriter(opts.outDir);
  const warnings = createWarningLog();
  const requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const src: SampleSources = {
    target: v.target,
    cgroupDir: v.cgroupDir,
    ...(opts.hostFiles !== false || v.pid !== undefined
      ? { proc: { pid: v.pid, procRoot: opts.procRoot, hostFiles: opts.hostFiles !== false } }
      : {}),
    metrics: v.target !== undefined,
    ctx: { fetch: opts.fetch, timeoutMs: requestTimeoutMs, signal: opts.signal },
  };
  const written = { memstats: 0, metrics: 0, cgroup: 0, proc: 0, heapProfiles: 0, heapText: false };
  const last: { vars?: string; metrics?: string; cgroup?: Record<string, string>; status?: string } = {};
  let cgroupVersion: 1 | 2 | undefined;

  // Read once, at the start: the environment is fixed at execve, and the process may be gone later.
  const runtimeEnv = v.pid !== undefined ? await readRuntimeEnv(v.pid, opts.procRoot) : undefined;
  if (runtimeEnv?.note !== undefined) warnings.note([runtimeEnv.note]);
  const startUnixMs = now();
  const samplesPlanned = Math.floor(opts.durationMs / opts.intervalMs) + 1;
  let samplesTaken = 0;
  let lastTs = -1;
  // The first sample takes a profile too: growth is read between the first and the last profile,
  // so the series should span the whole window, not start one period in.
  let lastProfileAt = -Infinity;
  let slot = 0;
  while (slot < samplesPlanned && !opts.signal?.aborted) {
    const due = startUnixMs + slot * opts.intervalMs;
    if (now() < due) await sleep(due - now(), opts.signal);
    if (opts.signal?.aborted) break;
    const ts = Math.max(now(), lastTs + 1);
    lastTs = ts;
    const withProfile = opts.profileEveryMs !== undefined && ts - lastProfileAt >= opts.profileEveryMs;
    if (withProfile) lastProfileAt = ts;
    const s = await takeSample(ts, src, writer, warnings, withProfile);
    samplesTaken++;
    if (s.statuses.metrics === 'absent') src.metrics = false;
    written.memstats += Number(s.written.memstats);
    written.metrics += Number(s.written.metrics);
    written.cgroup += Number(s.written.cgroup);
    written.proc += Number(s.written.proc);
    written.heapProfiles += Number(s.written.heapProfile);
    if (s.written.memstats) last.vars = s.varsText;
    if (s.metricsText !== undefined) last.metrics = s.metricsText;
    if (s.cgroup) ({ version: cgroupVersion, files: last.cgroup } = s.cgroup);
    if (s.proc?.status !== undefined) last.status = s.proc.status;
    log(`sample ${slot + 1}/${samplesPlanned}: ${describeStatuses(s.statuses)}`);
    // A sample slower than the interval skips the slots it overran instead of bursting to catch up.
    const next = Math.max(slot + 1, Math.ceil((now() - startUnixMs) / opts.intervalMs));
    if (next > slot + 1 && next < samplesPlanned) {
      warnings.add(
        [
          {
            source: 'collect',
            message: 'a sample took longer than the interval; later samples were skipped',
          },
        ],
        ts,
      );
    }
    slot = next;
  }
  const aborted = opts.signal?.aborted === true && slot < samplesPlanned;
  if (aborted) log(`stopped after ${samplesTaken}/${samplesPlanned} samples; finishing the bundle`);

  if (v.target) {
    // After an abort the user wants out: give the target only a short time to answer.
    const ctx = {
      fetch: opts.fetch,
      timeoutMs: aborted ? Math.min(opts.finalTimeoutMs ?? 2_000, requestTimeoutMs) : requestTimeoutMs,
    };
    const ts = Math.max(now(), lastTs + 1);
    const [profile, text] = await Promise.all([
      acquireHeapProfile(v.target, ctx),
      acquireHeapText(v.target, ctx),
    ]);
    for (const r of [profile, text]) warnings.add(r.warnings, ts);
    if (profile.value) {
      await writer.writeHeapProfile(ts, profile.value);
      written.heapProfiles++;
    }
    if (text.value) {
      await writer.writeHeapText(text.value);
      written.heapText = true;
    }
    log(`heap profile ${profile.status}, heap text ${text.status}`);
  }

  warnings.add(writer.warnings);
  const meta = buildMeta({
    target: v.target,
    pid: v.pid,
    cgroupDir: v.cgroupDir,
    cgroupVersion,
    varsText: last.vars,
    metricsText: last.metrics,
    cgroupFiles: last.cgroup,
    procStatus: last.status,
    ...(runtimeEnv?.env !== undefined ? { runtimeEnv: runtimeEnv.env } : {}),
    startUnixMs,
    endUnixMs: now(),
    intervalMs: opts.intervalMs,
    durationMs: opts.durationMs,
    samplesPlanned,
    samplesTaken,
    aborted,
    notes: warnings.notes(),
    warnings: warnings.warnings(),
  });
  await writer.writeMeta(meta);
  const total =
    written.memstats +
    written.metrics +
    written.cgroup +
    written.proc +
    written.heapProfiles +
    Number(written.heapText);
  if (total === 0) throw new CollectFailedError(opts.outDir, meta.warnings);
  log(
    `wrote ${opts.outDir}: ${samplesTaken} samples, ${written.heapProfiles} heap profiles, ${meta.warnings.length} warnings`,
  );
  return {
    outDir: opts.outDir,
    startUnixMs,
    endUnixMs: meta.endUnixMs,
    samplesPlanned,
    samplesTaken,
    aborted,
    written,
    warnings: meta.warnings,
    notes: meta.notes,
    meta,
  };
}

/** setTimeout that an abort ends early. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}
