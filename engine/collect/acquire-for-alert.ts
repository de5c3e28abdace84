import { addAcquisitionWarnings } from './acquisition-warnings.js';
import { mkdir } from 'node:fs/promises';
import { matchLabels } from '../config/match-labels.js';
import type { TargetConfig } from '../config/types.js';
import { silentLog } from '../notify/log.js';
import type { Log } from '../notify/log.js';
import { acquirePrometheus } from './alert/acquire-prometheus.js';
import { guardedFetch } from './alert/guarded-fetch.js';
import { MIN_INTERVAL_MS } from './collect-options.js';
import { collectBundle } from './collect-bundle.js';
import { redactUserinfo } from './redact-url.js';
import type { CollectWarning } from './types.js';

export interface AlertAcquireDeps {
  targets: readonly TargetConfig[];
  log?: Log;
  /** Observes seconds per acquisition, by target and outcome. */
  observe?: (target: string, outcome: 'ok' | 'partial' | 'failed', seconds: number) => void;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface AlertAcquireResult {
  target?: string;
  outcome: 'no-target' | 'ok' | 'partial' | 'failed';
  warnings: CollectWarning[];
}

/** The first configured target whose matchers hold for these labels. */
export function selectTarget(
  targets: readonly TargetConfig[],
  labels: Readonly<Record<string, string>>,
): TargetConfig | undefined {
  return targets.find((t) => matchLabels(t.match, labels));
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

  return async function acquire(
    labels: Readonly<Record<string, string>>,
    dir: string,
    signal?: AbortSignal,
  ): Promise<AlertAcquireResult> {
    const target = selectTarget(deps.targets, labels);
    if (!target) return { outcome: 'no-target', warnings: [] };
    const started = now();
    const warnings: CollectWarning[] = [];
    let got = 0;
    await mkdir(dir, { recursive: true });
    if (target.go || target.cgroupDir || target.pid !== undefined) {
      try {
        const s = await collectBundle({
          ...(target.go ? { target: target.go.href } : {}),
          ...(target.cgroupDir ? { cgroupDir: target.cgroupDir } : {}),
          ...(target.pid !== undefined ? { pid: target.pid } : {}),
          hostFiles: target.hostFiles,
          durationMs: target.durationMs,
          intervalMs: target.intervalMs,
          // A profile mid-window as well as the final one: the allocation site that grew between
          // them names a leak better than any single snapshot.
          ...(target.go && target.durationMs >= 2 * MIN_INTERVAL_MS
            ? { profileEveryMs: Math.floor(target.durationMs / 2) }
            : {}),
          requestTimeoutMs: target.requestTimeoutMs,
          outDir: dir,
          fetch: fetchFn,
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
  };
}
