import { rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { ServerConfig } from '../../config/types.js';
import type { CompiledRuleSet } from '../../rules/types.js';
import { fallbackRunbook } from '../../notify/fallback-runbook.js';
import { silentLog } from '../../notify/log.js';
import type { Log } from '../../notify/log.js';
import { routeChannels } from '../../notify/route-channels.js';
import type { Channel } from '../../notify/types.js';
import { renderRunbook } from '../../runbook/render-runbook.js';
import type { Runbook } from '../../runbook/types.js';
import type { Diagnosis } from '../../diagnose/types.js';
import { isStorageError } from '../../store/storage-error.js';
import type { DeliveryKind, IncidentRecord, NewDelivery, RecordOutcome, Store } from '../../store/types.js';
import type { ServerMetrics } from '../metrics.js';
import { diagnoseIncident, undiagnosed } from './diagnose-incident.js';
import { incidentLabels } from './incident-labels.js';
import { incidentLinks, withIncidentLinks } from './incident-links.js';
import { runbookOptionsFor } from './runbook-options.js';
import { restoreBundle, shareBundle } from './shared-bundle.js';
import { bundleDirFor, resetBundleDir, writeWebhookArtifacts } from './write-incident-bundle.js';

/** Acquires evidence for an incident into its (empty) bundle directory; never throws for a bad target. */
export type AcquireForIncident = (
  incident: IncidentRecord,
  labels: Record<string, string>,
  dir: string,
  signal: AbortSignal,
) => Promise<void>;

export interface PipelineDeps {
  store: Store;
  config: ServerConfig;
  /** Current rules; a function so SIGHUP can swap them between incidents. */
  rules: () => CompiledRuleSet;
  channels: ReadonlyMap<string, Channel>;
  metrics?: ServerMetrics;
  log?: Log;
  acquire?: AcquireForIncident;
  /** Diagnosis → Runbook; default engine/runbook's renderRunbook with the config's template dirs (a seam for benchmarks). */
  renderRunbook?: (d: Diagnosis) => Runbook;
  /** Deliveries were queued: wake the outbox worker. */
  onQueued?: () => void;
  /**
   * A step failed on the disk (full, I/O error). The incident stays at its last durable stage
   * and is resumed by `recover()` once storage is writable again.
   */
  onStorageError?: (err: unknown) => void;
  now?: () => number;
}

/**
 * The incident's deliveries lag its state: not queued yet, or resolved while only the firing
 * steps are queued. The same condition as the store's `unfinishedIncidents` query.
 */
export function pipelineBehind(incident: IncidentRecord): boolean {
  if (incident.stage === 'queued')
    return incident.status === 'resolved' && incident.queuedStatus !== 'resolved';
  return incident.stage !== 'failed';
}

export interface Pipeline {
  /** Runs (or resumes) the pipeline of one incident; serialised per incident, bounded overall. */
  advance(incidentId: string): Promise<void>;
  /**
   * A notification was recorded: run the pipeline if it changed something to send (`new`,
   * `resolved`, `resolved-unknown`), or if it is a repeat that finds the incident behind (a
   * resolve acknowledged just before a crash, re-sent by Alertmanager), so nothing waits for a restart.
   */
  accepted(incident: IncidentRecord, outcome: RecordOutcome): Promise<void> | undefined;
  /**
   * At start: resume every incident a previous process left half-way. With `untouchedFor`, only the
   * ones this process set aside on a storage failure and those no step has touched for that long (ms)
   * and not running here: a shared store's replicas must not take over incidents another replica is
   * still working on.
   */
  recover(opts?: { untouchedFor?: number }): Promise<number>;
  /** Resolves when nothing is running (tests, graceful shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * acquire → store bundle → diagnose → runbook → outbox. Each step ends with a durable stage
 * change, so after a crash `recover` re-runs only what was not finished: the bundle is rebuilt
 * from scratch, diagnosis is deterministic over it, and queueing is idempotent per
 * (incident, channel, kind) — no step can produce a second message.
 */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const { store, config } = deps;
  const now = deps.now ?? Date.now;
  const log = deps.log ?? silentLog;
  const abort = new AbortController();
  const perIncident = new Map<string, Promise<void>>();
  /** Incidents this process stopped working on because the store failed: resumed first when it returns. */
  const parked = new Set<string>();
  const waiting: (() => void)[] = [];
  let active = 0;

  async function slot<T>(fn: () => Promise<T>): Promise<T> {
    if (active >= config.pipeline.concurrency) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  }

  /** The runbook with the incident's links (its page, the Alertmanager silence). */
  async function runbookFor(incident: IncidentRecord): Promise<Runbook> {
    const d = incident.diagnosis!;
    const options = deps.renderRunbook ? undefined : await runbookOptionsFor(incident, store, config);
    let rb: Runbook;
    try {
      rb = deps.renderRunbook ? deps.renderRunbook(d) : renderRunbook(d, options);
    } catch (err) {
      log.error(
        { incident: incident.id, error: (err as Error).message },
        'runbook template failed; sending a plain one',
      );
      rb = fallbackRunbook(d, (err as Error).message);
    }
    return withLinks(incident, rb);
  }

  function withLinks(incident: IncidentRecord, rb: Runbook): Runbook {
    return withIncidentLinks(rb, incidentLinks(incident, config.server.externalUrl));
  }

  function render(
    channel: Channel,
    kind: DeliveryKind,
    incident: IncidentRecord,
    runbook: Runbook,
  ): NewDelivery | undefined {
    const payloadFor = (rb: Runbook) =>
      channel.render({
        kind,
        incidentId: incident.id,
        runbook: rb,
        repeats: incident.repeats,
        receivedAt: new Date(incident.receivedAt).toISOString(),
        ...(incident.resolvedAt !== undefined
          ? { resolvedAt: new Date(incident.resolvedAt).toISOString() }
          : {}),
      });
    let payload;
    try {
      payload = payloadFor(runbook);
    } catch (err) {
      // One channel's formatter failing (a chart its renderer refuses) must not cost the others their
      // delivery, nor this channel its alert: it gets the plain runbook instead.
      log.error(
        { incident: incident.id, channel: channel.name, kind, error: (err as Error).message },
        'channel could not format the runbook; sending it a plain one',
      );
      payload = payloadFor(withLinks(incident, fallbackRunbook(incident.diagnosis!, (err as Error).message)));
    }
    return payload === undefined
      ? undefined
      : { incidentId: incident.id, channel: channel.name, kind, payload };
  }

  async function queue(incident: IncidentRecord): Promise<void> {
    const runbook = await runbookFor(incident);
    const existing = await store.deliveriesFor(incident.id);
    const names =
      existing.length > 0
        ? [...new Set(existing.filter((d) => d.kind === 'open').map((d) => d.channel))]
        : routeChannels(config.routes, config.defaultChannels, incidentLabels(incident));
    const items: (NewDelivery | undefined)[] = [];
    for (const name of names) {
      const channel = deps.channels.get(name);
      if (!channel) {
        log.warn({ incident: incident.id, channel: name }, 'route names a channel that is not configured');
        continue;
      }
      items.push(render(channel, 'open', incident, runbook));
      for (const k of channel.openFollowUps ?? []) items.push(render(channel, k, incident, runbook));
      if (incident.status === 'resolved') {
        for (const k of channel.resolveKinds) items.push(render(channel, k, incident, runbook));
      }
    }
    await store.enqueueDeliveries(
      incident.id,
      items.filter((i): i is NewDelivery => i !== undefined),
      now(),
      incident.status,
    );
    deps.onQueued?.();
  }

  async function run(id: string): Promise<void> {
    const started = now();
    let incident = await store.getIncident(id);
    if (!incident || incident.stage === 'failed') return;
    // With a shared store the recorded path may be another replica's: this replica's data dir holds its copy.
    const dir = store.sharedBundles
      ? bundleDirFor(config.server.dataDir, id)
      : (incident.bundleDir ?? bundleDirFor(config.server.dataDir, id));
    if (incident.stage === 'received') {
      await resetBundleDir(dir);
      if (deps.acquire) await deps.acquire(incident, incidentLabels(incident), dir, abort.signal);
      await writeWebhookArtifacts(dir, incident);
      await shareBundle(store, id, dir, now());
      await store.updateIncident(id, { stage: 'acquired', bundleDir: dir }, now());
    }
    incident = (await store.getIncident(id))!;
    if (incident.stage === 'acquired') {
      // Acquired by another replica (which then stopped): diagnose its stored bundle.
      if (store.sharedBundles && !existsSync(dir)) await restoreBundle(store, id, dir);
      let diagnosis: Diagnosis;
      try {
        diagnosis = await diagnoseIncident(dir, incident, deps.rules());
      } catch (err) {
        // The on-call engineer still gets the alert, marked inconclusive with the reason.
        log.error(
          { incident: id, error: (err as Error).message },
          'diagnosis failed; sending the alert without one',
        );
        diagnosis = undiagnosed(incident, `diagnosis failed: ${(err as Error).message}`, now());
      }
      await store.updateIncident(id, { stage: 'diagnosed', diagnosis }, now());
      deps.metrics?.incidentsByCause.inc({ cause: diagnosis.causes[0]?.ruleId ?? diagnosis.outcome });
    }
    // Re-read right before queueing. A resolve recorded after this read is not lost: its own run is
    // chained after this one (perIncident) and finds the incident behind (queuedStatus still firing).
    incident = (await store.getIncident(id))!;
    if (incident.stage === 'diagnosed' || (incident.stage === 'queued' && pipelineBehind(incident))) {
      await queue(incident);
      // The store holds the bundle; this replica's copy was only needed to diagnose it.
      if (store.sharedBundles) await rm(dir, { recursive: true, force: true });
      deps.metrics?.pipelineSeconds.observe({ outcome: 'ok' }, (now() - started) / 1000);
    }
  }

  async function attempt(id: string): Promise<void> {
    for (let i = 1; ; i++) {
      try {
        return await slot(() => run(id));
      } catch (err) {
        const error = (err as Error).message;
        if (isStorageError(err)) {
          log.error(
            { incident: id, error },
            'storage unavailable; the incident resumes when writes succeed again',
          );
          parked.add(id);
          deps.onStorageError?.(err);
          return;
        }
        if (i >= 3 || abort.signal.aborted) {
          log.error({ incident: id, error }, 'pipeline failed; incident marked failed');
          try {
            await store.updateIncident(id, { stage: 'failed', error }, now());
          } catch (e) {
            log.error({ incident: id, error: (e as Error).message }, 'could not mark the incident failed');
            if (isStorageError(e)) deps.onStorageError?.(e);
          }
          deps.metrics?.pipelineSeconds.observe({ outcome: 'failed' }, 0);
          return;
        }
        log.warn({ incident: id, error, attempt: i }, 'pipeline step failed; retrying');
        await new Promise((r) => setTimeout(r, 200 * i));
      }
    }
  }

  function advance(id: string): Promise<void> {
    const prev = perIncident.get(id) ?? Promise.resolve();
    parked.delete(id);
    const next = prev.then(() => attempt(id));
    perIncident.set(id, next);
    // `attempt` never rejects; the rejection handler is there so that nothing here can become unhandled.
    const done = () => {
      if (perIncident.get(id) === next) perIncident.delete(id);
    };
    next.then(done, done);
    return next;
  }

  return {
    advance,
    accepted(incident, outcome) {
      const changed = outcome === 'new' || outcome === 'resolved' || outcome === 'resolved-unknown';
      if (changed) return advance(incident.id);
      if (!pipelineBehind(incident)) return undefined;
      // A repeat changes no status: a run already under way for the incident re-reads it before
      // queueing and does what is missing, so only an idle incident needs a new run.
      return perIncident.get(incident.id) ?? advance(incident.id);
    },
    async recover(opts) {
      // One indexed query over every incident, however old (not a window of the newest ones).
      const stale = opts?.untouchedFor;
      const at = now();
      const ids = (await store.unfinishedIncidents())
        .filter(
          (i) =>
            stale === undefined || parked.has(i.id) || (at - i.updatedAt >= stale && !perIncident.has(i.id)),
        )
        .map((i) => i.id);
      await Promise.all(ids.map((id) => advance(id)));
      return ids.length;
    },
    async idle() {
      while (perIncident.size > 0) await Promise.all([...perIncident.values()]);
    },
    async stop() {
      abort.abort();
      await this.idle();
    },
  };
}
