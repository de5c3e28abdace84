/**
 * Issue 16, 3: retries give up by elapsed time, not after a handful of attempts; dead letters are
 * counted and logged; the depth gauge follows worker passes; shutdown drains for a bounded time.
 * The clock is injected, so hours of backoff run in milliseconds against a real SQLite store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../engine/config/default-config.js';
import { NotifyError } from '../../engine/notify/notify-error.js';
import { outboxRetry } from '../../engine/notify/outbox-commands.js';
import type { Channel } from '../../engine/notify/types.js';
import { makePipeline } from '../server/pipeline-fixture.js';

let p: Awaited<ReturnType<typeof makePipeline>> | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

/** A channel that is down (server errors) while `down()` holds, and records what it delivered when up. */
function flakyChannel(down: () => boolean, name = 'mail') {
  const delivered: { id: number; at: number }[] = [];
  let attempts = 0;
  const channel = (clock: () => number): Channel => ({
    name,
    type: 'flaky',
    resolveKinds: ['resolve'],
    render: (i) => ({ kind: i.kind }),
    async send(msg) {
      attempts++;
      if (down()) throw new NotifyError('serverError', 'connect ECONNREFUSED 127.0.0.1:25');
      delivered.push({ id: msg.id, at: clock() });
      return {};
    },
  });
  return { channel, delivered, attempts: () => attempts };
}

async function withDefaults(clock: () => number, ch: (clock: () => number) => Channel) {
  const logs: { level: string; msg: string; obj: Record<string, unknown> }[] = [];
  const pipe = await makePipeline({
    channels: [ch(clock)],
    now: clock,
    // the defaults the issue is about (the fixture shortens them for other tests)
    configure: (c) => (c.outbox = defaultConfig().outbox),
  });
  const log = (level: string) => (obj: Record<string, unknown>, msg: string) =>
    logs.push({ level, obj, msg });
  // a worker with a log, on the same store and clock
  const { createOutboxWorker } = await import('../../engine/notify/outbox-worker.js');
  const worker = createOutboxWorker({
    store: pipe.store,
    channels: new Map([[ch(clock).name, ch(clock)]]),
    config: pipe.config.outbox,
    metrics: pipe.metrics,
    now: clock,
    log: { info: log('info'), warn: log('warn'), error: log('error') },
  });
  return { pipe, worker, logs };
}

async function enqueue(pipe: NonNullable<typeof p>, n: number, channel: string, at: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const { incident } = await pipe.store.recordAlert({
      dedupKey: `k${i}`,
      source: 'generic',
      groupKey: `g${i}`,
      status: 'firing',
      payload: {},
      now: at,
    });
    await pipe.store.enqueueDeliveries(
      incident.id,
      [{ incidentId: incident.id, channel, kind: 'open', payload: {} }],
      at,
    );
  }
}

describe('retry budget (issue 16, 3)', () => {
  it('the default budget outlasts a 5-minute channel outage: nothing dead, all sent within a backoff cap of its end', async () => {
    let clock = 1_000_000;
    const outageEnd = clock + 5 * 60_000 + 7_000;
    const flaky = flakyChannel(() => clock < outageEnd);
    const { pipe, worker } = await withDefaults(() => clock, flaky.channel);
    p = pipe;
    await enqueue(pipe, 20, 'mail', clock);
    while (flaky.delivered.length < 20 && clock < outageEnd + 10 * 60_000) {
      await worker.runOnce();
      expect((await pipe.store.countByState()).dead).toBe(0);
      clock += 500;
    }
    expect(flaky.delivered).toHaveLength(20);
    expect(await pipe.store.countByState()).toMatchObject({ delivered: 20, dead: 0, pending: 0 });
    // backoff is capped at maxDelay (1 min): nobody waits much longer than that after the outage
    const lastAt = Math.max(...flaky.delivered.map((d) => d.at));
    expect(lastAt - outageEnd).toBeLessThanOrEqual(60_000 + 500);
    // the old defaults (8 attempts from 1 s) would have given up after about 2 minutes
    expect((await pipe.store.listDeliveries())[0]!.attempts).toBeGreaterThan(8);
  });

  it('gives up by elapsed time (retryFor), with a dead-letter count and log line; a manual retry restarts the budget', async () => {
    let clock = Date.now(); // real time: `outbox retry` schedules the revived row at Date.now()
    const start = clock;
    let down = true;
    const flaky = flakyChannel(() => down);
    const { pipe, worker, logs } = await withDefaults(() => clock, flaky.channel);
    p = pipe;
    await enqueue(pipe, 1, 'mail', clock);
    expect(await pipe.metrics.registry.metrics()).toContain(
      'memtriage_deliveries_total{channel="mail",outcome="dead"} 0',
    );
    while ((await pipe.store.countByState()).dead === 0 && clock < start + 3 * 3_600_000) {
      await worker.runOnce();
      clock += 1_000;
    }
    const [d] = await pipe.store.listDeliveries();
    expect(d).toMatchObject({ state: 'dead', lastReason: 'serverError' });
    // dead at the hour after its first failure (the last attempt is placed on that time), not earlier
    expect(clock - start).toBeGreaterThanOrEqual(3_600_000);
    expect(clock - start).toBeLessThan(3_600_000 + 5_000);
    expect(d!.attempts).toBeLessThan(pipe.config.outbox.maxAttempts);
    expect(d!.attempts).toBeGreaterThan(50);
    const metrics = await pipe.metrics.registry.metrics();
    expect(metrics).toContain('memtriage_deliveries_total{channel="mail",outcome="dead"} 1');
    const dead = logs.find((l) => l.level === 'error');
    expect(dead?.msg).toMatch(
      /dead-lettered \(failing for 3600 s \(outbox.retryFor\)\); `memtriage outbox retry \d+`/,
    );
    expect(dead?.obj).toMatchObject({ deadLetter: true, incident: d!.incidentId, reason: 'serverError' });

    // revived: a fresh time budget, counted from its next failure
    expect(await outboxRetry({ dataDir: pipe.dir }, d!.id)).toBe(1);
    expect((await pipe.store.getDelivery(d!.id))?.failingSince).toBeUndefined();
    await worker.runOnce();
    expect(await pipe.store.getDelivery(d!.id)).toMatchObject({ state: 'pending', failingSince: clock });
    down = false;
    clock += 2_000;
    await worker.runOnce();
    expect((await pipe.store.getDelivery(d!.id))?.state).toBe('delivered');
  });

  it('the attempt count stays a secondary bound', async () => {
    let clock = 0;
    const flaky = flakyChannel(() => true);
    const { pipe, worker } = await withDefaults(() => clock, flaky.channel);
    p = pipe;
    pipe.config.outbox.maxAttempts = 4;
    await enqueue(pipe, 1, 'mail', clock);
    for (let i = 0; i < 200 && (await pipe.store.countByState()).dead === 0; i++) {
      await worker.runOnce();
      clock += 1_000;
    }
    expect((await pipe.store.listDeliveries())[0]).toMatchObject({ state: 'dead', attempts: 4 });
  });

  it('memtriage_outbox_depth follows worker passes without a scrape', async () => {
    const clock = 0;
    const flaky = flakyChannel(() => false);
    const { pipe, worker } = await withDefaults(() => clock, flaky.channel);
    p = pipe;
    await enqueue(pipe, 3, 'mail', clock);
    await worker.runOnce();
    const text = await pipe.metrics.registry.metrics();
    expect(text).toContain('memtriage_outbox_depth{state="pending"} 0');
    expect(text).toContain('memtriage_outbox_depth{state="dead"} 0');
    // a new row shows at the next pass (after the 1 s throttle), without a scrape
    await enqueue(pipe, 1, 'nowhere', clock); // no such channel: dead at once
    await new Promise((r) => setTimeout(r, 1_050));
    await worker.runOnce();
    expect(await pipe.metrics.registry.metrics()).toContain('memtriage_outbox_depth{state="dead"} 1');
  });
});

describe('shutdown drain (issue 16, also)', () => {
  it('sends due deliveries within the window; a send still hanging at the deadline is left pending, attempt refunded', async () => {
    const sent: number[] = [];
    let hang = false;
    const slow: Channel = {
      name: 'slow',
      type: 'slow',
      resolveKinds: [],
      render: () => ({}),
      send: (msg, signal) =>
        new Promise((resolve, reject) => {
          if (hang) {
            signal.addEventListener('abort', () => reject(new Error('aborted')));
            return;
          }
          setTimeout(() => {
            sent.push(msg.id);
            resolve({});
          }, 20);
        }),
    };
    p = await makePipeline({ channels: [slow] });
    await enqueue(p, 10, 'slow', Date.now());
    const t0 = Date.now();
    expect(await p.worker.stop({ drainMs: 5_000 })).toBe(0);
    expect(sent).toHaveLength(10);
    expect(Date.now() - t0).toBeLessThan(5_000);

    hang = true;
    const { incident } = await p.store.recordAlert({
      dedupKey: 'hang',
      source: 'generic',
      groupKey: 'h',
      status: 'firing',
      payload: {},
      now: Date.now(),
    });
    await p.store.enqueueDeliveries(
      incident.id,
      [{ incidentId: incident.id, channel: 'slow', kind: 'open', payload: {} }],
      Date.now(),
    );
    const { createOutboxWorker } = await import('../../engine/notify/outbox-worker.js');
    const w = createOutboxWorker({
      store: p.store,
      channels: new Map([['slow', slow]]),
      config: p.config.outbox,
    });
    w.start();
    const t1 = Date.now();
    expect(await w.stop({ drainMs: 300 })).toBe(1);
    expect(Date.now() - t1).toBeLessThan(3_000);
    const [d] = await p.store.deliveriesFor(incident.id);
    expect(d).toMatchObject({ state: 'pending', attempts: 0, lastReason: 'shutdown' });
  });
});
