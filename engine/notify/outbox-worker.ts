import type { OutboxConfig } from '../config/types.js';
import type { DeliveryRecord, Store } from '../store/types.js';
import { backoffDelayMs } from './backoff.js';
import { silentLog } from './log.js';
import type { Log } from './log.js';
import { asNotifyError } from './notify-error.js';
import type { Channel } from './types.js';

/** The metrics the worker moves (a subset of the server's, so the worker runs without a server too). */
export interface OutboxMetrics {
  deliveries: { inc(labels: { channel: string; outcome: string }, value?: number): void };
  /** Undelivered outbox rows by state, refreshed after worker passes (at most once a second) and at stop. */
  outboxDepth?: { set(labels: { state: string }, value: number): void };
}

export interface OutboxWorkerDeps {
  store: Store;
  channels: ReadonlyMap<string, Channel>;
  config: OutboxConfig;
  metrics?: OutboxMetrics;
  log?: Log;
  now?: () => number;
  random?: () => number;
  /** Deadline of one send; the integration sees it as an aborted signal. Default 30 s. */
  sendTimeoutMs?: number;
}

export interface OutboxWorker {
  /** Starts polling (and picks up whatever a previous process left pending). */
  start(): void;
  /** Something was queued: run a pass now rather than at the next poll. */
  kick(): void;
  /** One pass over due deliveries; resolves to how many were claimed. */
  runOnce(): Promise<number>;
  /** Passes until nothing is due (tests, shutdown with a deadline). */
  drain(): Promise<void>;
  /**
   * Stops polling. With `drainMs`, deliveries in flight and deliveries already due are still sent
   * for up to that long; whatever is in flight at the deadline is interrupted and left pending
   * (without using an attempt) for the next process. Resolves to how many were still pending or
   * in flight when it gave up (0: everything due went out).
   */
  stop(opts?: { drainMs?: number }): Promise<number>;
}

const DEFER_MS = 1_000;
const DEPTH_REFRESH_MS = 1_000;
const UNDELIVERED = ['pending', 'sending', 'dead'] as const;
/** After the drain deadline, how long interrupted sends get to settle before the worker lets go. */
const INTERRUPT_GRACE_MS = 1_000;

/**
 * Delivers the outbox: claims due rows (a lease, so a crashed worker's rows come back), makes one
 * attempt through the channel, and records the outcome. Retryable failures are rescheduled with
 * exponential backoff and jitter, honouring Retry-After; non-retryable ones and rows out of
 * attempts go to `dead` (visible in /metrics and `memtriage outbox list`, revived by
 * `outbox retry`). The same role as Alertmanager's RetryStage (notify/retry_stage.go), but
 * durable: the schedule is in the store, not in a goroutine.
 */
export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const { store, channels, config } = deps;
  const now = deps.now ?? Date.now;
  const log = deps.log ?? silentLog;
  const sendTimeoutMs = deps.sendTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  /** Aborted at the drain deadline: in-flight sends stop and go back to pending. */
  const shutdown = new AbortController();
  /** Set once the worker let go of sends that did not settle: they must not touch the (closed) store. */
  let detached = false;
  let depthAt = -Infinity;

  const count = (channel: string, outcome: string) => deps.metrics?.deliveries.inc({ channel, outcome });
  // Every channel's dead-letter series exists from the start at 0, so an alert on
  // increase(memtriage_deliveries_total{outcome="dead"}[…]) > 0 fires on the first dead letter.
  for (const name of channels.keys()) deps.metrics?.deliveries.inc({ channel: name, outcome: 'dead' }, 0);

  /** pending, sending, dead: an index range each; `delivered` (which only grows) is counted at scrape. */
  async function refreshDepth(force = false): Promise<void> {
    const gauge = deps.metrics?.outboxDepth;
    if (!gauge || (!force && Date.now() - depthAt < DEPTH_REFRESH_MS)) return;
    depthAt = Date.now();
    const c = await store.countByState(UNDELIVERED);
    for (const state of UNDELIVERED) gauge.set({ state }, c[state]);
  }

  async function deliver(d: DeliveryRecord): Promise<void> {
    const channel = channels.get(d.channel);
    if (!channel) {
      await store.markDead(d.id, `no channel named "${d.channel}" in the config`, 'clientError');
      count(d.channel, 'dead');
      return;
    }
    const thread = d.kind === 'open' ? undefined : await store.getThread(d.incidentId, d.channel);
    if (d.kind !== 'open' && thread === undefined) {
      const open = (await store.deliveriesFor(d.incidentId)).find(
        (x) => x.channel === d.channel && x.kind === 'open',
      );
      if (open && (open.state === 'pending' || open.state === 'sending')) {
        // The first message is not out yet: its thread does not exist. Wait without spending an attempt.
        await store.markRetry(d.id, now() + DEFER_MS, 'waiting for the first message', 'deferred', false);
        return;
      }
    }
    const ac = new AbortController();
    const deadline = setTimeout(() => ac.abort(), sendTimeoutMs);
    const interrupt = () => ac.abort();
    shutdown.signal.addEventListener('abort', interrupt);
    try {
      const res = await channel.send(
        {
          id: d.id,
          kind: d.kind,
          incidentId: d.incidentId,
          payload: d.payload,
          ...(thread ? { thread } : {}),
        },
        ac.signal,
      );
      if (detached) return;
      await store.markDelivered(d.id, now(), d.kind === 'open' ? res.thread : undefined);
      count(d.channel, 'delivered');
      log.info({ delivery: d.id, channel: d.channel, kind: d.kind, attempts: d.attempts }, 'delivered');
    } catch (err) {
      if (detached) return;
      const e = asNotifyError(err);
      if (shutdown.signal.aborted) {
        // Interrupted by the drain deadline, not the channel's fault: pending again, attempt refunded.
        await store.markRetry(d.id, now(), `interrupted by shutdown: ${e.message}`, 'shutdown', false);
        return;
      }
      const t = now();
      const since = d.failingSince ?? t;
      const giveUpAt = since + config.retryForMs;
      const where = {
        delivery: d.id,
        incident: d.incidentId,
        channel: `${channel.type}[${d.channel}]`,
        kind: d.kind,
        attempts: d.attempts,
        failingForMs: t - since,
      };
      if (!e.retryable || d.attempts >= config.maxAttempts || t >= giveUpAt) {
        await store.markDead(d.id, e.message, e.reason);
        count(d.channel, 'dead');
        const why = !e.retryable
          ? 'not retryable'
          : d.attempts >= config.maxAttempts
            ? `${d.attempts} attempts (outbox.maxAttempts)`
            : `failing for ${Math.round((t - since) / 1000)} s (outbox.retryFor)`;
        log.error(
          { ...where, reason: e.reason, error: e.message, deadLetter: true },
          `delivery dead-lettered (${why}); \`memtriage outbox retry ${d.id}\` sends it again`,
        );
      } else {
        // Backoff capped at maxDelay; the last attempt lands on the give-up time rather than past it
        // (a Retry-After still wins: we never come back earlier than the channel asked).
        let delay = backoffDelayMs(d.attempts, config, e.retryAfterMs, deps.random);
        if (t + delay > giveUpAt) delay = Math.max(giveUpAt - t, e.retryAfterMs ?? 0);
        await store.markRetry(d.id, t + delay, e.message, e.reason, true, t);
        count(d.channel, 'retry');
        log.warn(
          { ...where, reason: e.reason, error: e.message, retryInMs: delay },
          'delivery failed, will retry',
        );
      }
    } finally {
      clearTimeout(deadline);
      shutdown.signal.removeEventListener('abort', interrupt);
    }
  }

  async function runOnce(): Promise<number> {
    const batch = await store.claimDeliveries(now(), config.concurrency, config.leaseMs);
    // Steps of one incident on one channel go in order (open before its resolve); the rest in parallel.
    const lanes = new Map<string, DeliveryRecord[]>();
    for (const d of batch) {
      const key = `${d.incidentId}\u0000${d.channel}`;
      lanes.set(key, [...(lanes.get(key) ?? []), d]);
    }
    await Promise.all(
      [...lanes.values()].map(async (lane) => {
        for (const d of lane) {
          if (shutdown.signal.aborted && !detached) {
            // Claimed but not started before the drain deadline: back to pending as it was.
            await store.markRetry(d.id, now(), 'not sent before shutdown', 'shutdown', false);
            continue;
          }
          if (!detached) await deliver(d);
        }
      }),
    );
    if (!detached) await refreshDepth();
    return batch.length;
  }

  function schedule(ms: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(loop, ms);
    timer.unref?.();
  }

  function loop(): void {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        do {
          again = false;
          while (!stopped && (await runOnce()) > 0);
        } while (again && !stopped);
      } catch (err) {
        log.error({ error: (err as Error).message }, 'outbox pass failed');
      } finally {
        running = undefined;
        schedule(config.pollMs);
      }
    })();
  }

  return {
    start() {
      stopped = false;
      schedule(0);
    },
    kick() {
      if (!stopped) schedule(0);
      if (running) again = true;
    },
    runOnce,
    async drain() {
      while ((await runOnce()) > 0);
    },
    async stop(opts = {}) {
      stopped = true;
      clearTimeout(timer);
      const drainMs = opts.drainMs;
      if (drainMs === undefined) {
        await running;
        return 0;
      }
      // Real time, not the injected clock: this bounds how long the process takes to exit.
      const end = Date.now() + drainMs;
      let settle: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((r) => {
        settle = setTimeout(() => {
          shutdown.abort();
          settle = setTimeout(r, INTERRUPT_GRACE_MS);
        }, drainMs);
      });
      const draining = (async () => {
        await running;
        try {
          while (!shutdown.signal.aborted && Date.now() < end && (await runOnce()) > 0);
        } catch (err) {
          // The drain is a courtesy: a store that cannot take writes (a full disk) keeps the rest
          // pending for the next start, and shutting down must not fail because of it.
          log.warn({ error: (err as Error).message }, 'outbox drain stopped early; the rest stays pending');
        }
      })();
      await Promise.race([draining, deadline]);
      clearTimeout(settle);
      detached = true; // a send that ignored its abort signal must not write to a store about to close
      let left = 0;
      try {
        const c = await store.countByState(['pending', 'sending']);
        left = c.pending + c.sending;
        await refreshDepth(true);
      } catch {
        // the store may already be unusable; nothing more to report
      }
      return left;
    },
  };
}
