import { addAcquisitionWarnings, recordNoTarget } from './acquisition-warnings.js';
import { cp, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { matchLabels } from '../config/match-labels.js';
import type { TargetConfig } from '../config/types.js';
import { silentLog } from '../notify/log.js';
import type { Log } from '../notify/log.js';
import { acquirePrometheus } from './alert/acquire-prometheus.js';
import { guardedFetch } from './alert/guarded-fetch.js';
import { MIN_INTERVAL_MS } from './collect-options.js';
import { collectBundle } from './collect-bundle.js';
import { pinnedFetch, type LookupAll } from './labelled/pinned-fetch.js';
import { resolveLabelledTarget } from './labelled/resolve-labelled-target.js';
import { redactUserinfo } from './redact-url.js';
import type { CollectWarning } from './types.js';

export interface AlertAcquireDeps {
  targets: readonly TargetConfig[];
  log?: Log;
  /** Observes seconds per acquisition, by target and outcome. */
  observe?: (target: string, outcome: 'ok' | 'partial' | 'failed', seconds: number) => void;
  fetch?: typeof fetch;
  /** DNS for targets built from labels (tests map names to addresses). */
  lookup?: LookupAll;
  now?: () => number;
}

export interface AlertAcquireResult {
  target?: string;
  outcome: 'no-target' | 'ok' | 'partial' | 'failed';
  warnings: CollectWarning[];
  /** The evidence was copied from an acquisition of the same target made for another alert. */
  shared?: boolean;
}

/** The first configured target whose matchers hold for these labels. */
export function selectTarget(
  targets: readonly TargetConfig[],
  labels: Readonly<Record<string, string>>,
): TargetConfig | undefined {
  return targets.find((t) => matchLabels(t.match, labels));
}

/**
 * `no target matches service=checkout`: the alert's values of the labels the targets' matchers
 * look at (a value that is not a plain word is quoted, JSON-escaped, and cut at 64 characters).
 */
export function describeNoTarget(
  targets: readonly TargetConfig[],
  labels: Readonly<Record<string, string>>,
): string {
  if (targets.length === 0) return 'no target matches: no targets are configured';
  const keys = [
    ...new Set(targets.flatMap((t) => [...Object.keys(t.match.equal), ...Object.keys(t.match.regex)])),
  ];
  const shown = keys.slice(0, 8).map((k) => {
    const v = labels[k];
    if (v === undefined) return `${k} (absent)`;
    const cut = v.length > 64 ? `${v.slice(0, 64)}…` : v;
    return /^[A-Za-z0-9_.:/-]+$/.test(cut) ? `${k}=${cut}` : `${k}=${JSON.stringify(cut)}`;
  });
  return `no target matches ${shown.join(', ') || 'these labels'}`;
}

/**
 * Acquisition at alert time: labels select one configured target, and only its configured
 * endpoints are read — a Go service (expvar, pprof, /metrics over a short window, through
 * collectBundle), a Prometheus server (range queries), a local cgroup and /proc. Every fetch goes
 * through a guard that refuses any origin outside the configured set. Partial data is kept and
 * reported in meta.json; this never throws for an unreachable or misbehaving target.
 */
export function createAlertAcquirer(deps: AlertAcquireDeps) {
  const log = deps.log ?? silentLog;
  const now = deps.now ?? Date.now;
  const origins = new Set<string>();
  for (const t of deps.targets) {
    if (t.go) origins.add(t.go.origin);
    if (t.prometheus) origins.add(t.prometheus.url.origin);
  }
  const fetchFn = guardedFetch(
    origins,
    (origin) => log.warn({ origin }, 'refused to fetch a host outside the configured targets'),
    deps.fetch,
  );

  // Acquisitions of fixed targets, by target name: in flight, or finished less than one window ago.
  const recent = new Map<string, SharedAcquisition>();

  return async function acquire(
    labels: Readonly<Record<string, string>>,
    dir: string,
    signal?: AbortSignal,
  ): Promise<AlertAcquireResult> {
    const target = selectTarget(deps.targets, labels);
    if (!target) {
      recordNoTarget(dir, describeNoTarget(deps.targets, labels));
      return { outcome: 'no-target', warnings: [] };
    }
    // A fixed target reads the same process whichever alert selected it: the alerts of one group
    // (one incident each) share one acquisition instead of profiling the service N times. A target
    // built from labels reads each alert's own instance and is never shared.
    if (target.goFromLabels) return acquireFresh(target, labels, dir, signal);
    const shared = recent.get(target.name);
    if (shared !== undefined && (shared.until === undefined || now() <= shared.until)) {
      const result = await shared.done;
      if (await copyAcquisition(shared.dir, dir)) {
        log.info({ target: target.name }, 'evidence shared with an acquisition of the same target');
        return { ...result, shared: true };
      }
    }
    const entry: SharedAcquisition = {
      done: acquireFresh(target, labels, dir, signal),
      dir,
    };
    recent.set(target.name, entry);
    const result = await entry.done;
    entry.until = now() + target.durationMs;
    return result;
  };

  async function acquireFresh(
    target: TargetConfig,
    labels: Readonly<Record<string, string>>,
    dir: string,
    signal?: AbortSignal,
  ): Promise<AlertAcquireResult> {
    const started = now();
    const warnings: CollectWarning[] = [];
    let got = 0;
    await mkdir(dir, { recursive: true });
    let go = target.go?.href;
    let goFetch = fetchFn;
    if (target.goFromLabels) {
      const r = await resolveLabelledTarget(target.goFromLabels, labels, deps.lookup);
      if ('error' in r) {
        warnings.push({ source: 'collect', message: `target ${target.name}: go URL not used: ${r.error}` });
        log.warn({ target: target.name, error: r.error }, 'refused the go URL built from alert labels');
      } else {
        // The port written out (collect requires it; URL drops a default :80).
        go = `${r.url.protocol}//${r.url.hostname}:${r.port}${r.url.pathname.replace(/\/+$/, '')}`;
        goFetch = guardedFetch(
          new Set([r.url.origin]),
          (origin) => log.warn({ origin }, 'refused to fetch a host outside the target'),
          pinnedFetch(target.goFromLabels.allow, deps.lookup),
        );
      }
    }
    if (go || target.cgroupDir || target.pid !== undefined) {
      try {
        const s = await collectBundle({
          ...(go ? { target: go } : {}),
          ...(target.cgroupDir ? { cgroupDir: target.cgroupDir } : {}),
          ...(target.pid !== undefined ? { pid: target.pid } : {}),
          hostFiles: target.hostFiles,
          durationMs: target.durationMs,
          intervalMs: target.intervalMs,
          // A profile mid-window as well as the final one: the allocation site that grew between
          // them names a leak better than any single snapshot.
          ...(go && target.durationMs >= 2 * MIN_INTERVAL_MS
            ? { profileEveryMs: Math.floor(target.durationMs / 2) }
            : {}),
          requestTimeoutMs: target.requestTimeoutMs,
          outDir: dir,
          fetch: goFetch,
          ...(signal ? { signal } : {}),
        });
        warnings.push(...s.warnings);
        got +=
          s.written.memstats + s.written.metrics + s.written.cgroup + s.written.proc + s.written.heapProfiles;
      } catch (err) {
        const e = err as { warnings?: CollectWarning[]; message: string };
        warnings.push(...(e.warnings ?? [{ source: 'collect', message: e.message }]));
      }
    }
    if (target.prometheus) {
      const r = await acquirePrometheus(target.prometheus, dir, {
        fetch: fetchFn,
        timeoutMs: target.requestTimeoutMs,
        nowMs: now(),
        ...(signal ? { signal } : {}),
      });
      warnings.push(...r.warnings);
      got += r.lines;
    }
    const outcome = got === 0 ? 'failed' : warnings.length > 0 ? 'partial' : 'ok';
    // A target URL may carry credentials (`http://admin:${PASS}@…`); a warning that repeats it
    // (a refusal, a fetch error) must not put them in acquisition-warnings.json and bundle.tar.gz.
    for (const w of warnings) w.message = redactUserinfo(w.message);
    addAcquisitionWarnings(dir, warnings, target.name);
    deps.observe?.(target.name, outcome, (now() - started) / 1000);
    log.info({ target: target.name, outcome, warnings: warnings.length }, 'acquired evidence for an alert');
    return { target: target.name, outcome, warnings };
  }
}

/** An acquisition other alerts of the same target may copy: its result, where it wrote, until when. */
interface SharedAcquisition {
  done: Promise<AlertAcquireResult>;
  dir: string;
  /** Set when it finished: reusable until one target duration later. */
  until?: number;
}

/** Files of a bundle that belong to its incident, not to the acquisition: never shared. */
const PER_INCIDENT = new Set(['alert.json', 'facts.json']);

/**
 * Copies what an acquisition wrote (meta.json, memstats.jsonl, profiles, cgroup/ and proc/
 * readings, acquisition-warnings.json) into another incident's bundle directory. False when the
 * source is gone (retention, a reset): the caller then acquires afresh.
 */
async function copyAcquisition(from: string, to: string): Promise<boolean> {
  try {
    await mkdir(to, { recursive: true });
    for (const name of await readdir(from)) {
      if (PER_INCIDENT.has(name) || name.endsWith('.tmp')) continue;
      await cp(join(from, name), join(to, name), { recursive: true });
    }
    return true;
  } catch {
    return false;
  }
}
