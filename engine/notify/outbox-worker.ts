import type { OutboxConfig } from '../config/types.js';
import type { DeliveryRecord, Store } from '../store/types.js';
import { backoffDelayMs } from './backoff.js';
import { silentLog } from './log.js';
import type { Log } from './log.js';
import { asNotifyError } from './notify-error.js';
import type { Channel } from './types.js';

/** The metrics the worker moves (a subset of the server's, so the worker runs without a server too). */
export interface OutboxMetrics {
  deliveries: { inc(labels: { channel: string; outcome: string }): void };
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
  stop(): Promise<void>;
}

const DEFER_MS = 1_000;

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

  const count = (channel: string, outcome: string) => deps.metrics?.deliveries.inc({ channel, outcome });

  async function deliver(d: DeliveryRecord): Promise<void> {
    const channel = channels.get(d.channel);
    if (!channel) {
      store.markDead(d.id, `no channel named "${d.channel}" in the config`, 'clientError');
      count(d.channel, 'dead');
      return;
    }
    const thread = d.kind === 'open' ? undefined : store.getThread(d.incidentId, d.channel);
    if (d.kind !== 'open' && thread === undefined) {
      const open = store
        .deliveriesFor(d.incidentId)
        .find((x) => x.channel === d.channel && x.kind === 'open');
      if (open && (open.state === 'pending' || open.state === 'sending')) {
        // The first message is not out yet: its thread does not exist. Wait without spending an attempt.
        store.markRetry(d.id, now() + DEFER_MS, 'waiting for the first message', 'deferred', false);
        return;
      }
    }
    const ac = new AbortController();
    const deadline = setTimeout(() => ac.abort(), sendTimeoutMs);
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
      store.markDelivered(d.id, now(), d.kind === 'open' ? res.thread : undefined);
      count(d.channel, 'delivered');
      log.info({ delivery: d.id, channel: d.channel, kind: d.kind, attempts: d.attempts }, 'delivered');
    } catch (err) {
      const e = asNotifyError(err);
      const where = {
        delivery: d.id,
        channel: `${channel.type}[${d.channel}]`,
        kind: d.kind,
        attempts: d.attempts,
      };
      if (!e.retryable || d.attempts >= config.maxAttempts) {
        store.markDead(d.id, e.message, e.reason);
        count(d.channel, 'dead');
        log.error({ ...where, reason: e.reason, error: e.message }, 'delivery failed for good (dead letter)');
      } else {
        const delay = backoffDelayMs(d.attempts, config, e.retryAfterMs, deps.random);
        store.markRetry(d.id, now() + delay, e.message, e.reason);
        count(d.channel, 'retry');
        log.warn(
          { ...where, reason: e.reason, error: e.message, retryInMs: delay },
          'delivery failed, will retry',
        );
      }
    } finally {
      clearTimeout(deadline);
    }
  }

  async function runOnce(): Promise<number> {
    const batch = store.claimDeliveries(now(), config.concurrency, config.leaseMs);
    // Steps of one incident on one channel go in order (open before its resolve); the rest in parallel.
    const lanes = new Map<string, DeliveryRecord[]>();
    for (const d of batch) {
      const key = `${d.incidentId}\u0000${d.channel}`;
      lanes.set(key, [...(lanes.get(key) ?? []), d]);
    }
    await Promise.all(
      [...lanes.values()].map(async (lane) => {
        for (const d of lane) await deliver(d);
      }),
    );
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
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
