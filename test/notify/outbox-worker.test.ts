import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../engine/notify/backoff.js';
import { formatOutboxList, outboxList, outboxRetry } from '../../engine/notify/outbox-commands.js';
import { createOutboxWorker } from '../../engine/notify/outbox-worker.js';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import { makePipeline, recordingChannel } from '../server/pipeline-fixture.js';

describe('backoffDelayMs', () => {
  const cfg = { baseDelayMs: 1000, maxDelayMs: 60_000 };
  it('doubles per attempt within [d/2, d], capped, and never below Retry-After', () => {
    expect(backoffDelayMs(1, cfg, undefined, () => 0)).toBe(500);
    expect(backoffDelayMs(1, cfg, undefined, () => 1)).toBe(1000);
    expect(backoffDelayMs(4, cfg, undefined, () => 1)).toBe(8000);
    expect(backoffDelayMs(20, cfg, undefined, () => 1)).toBe(60_000);
    expect(backoffDelayMs(1, cfg, 30_000, () => 0)).toBe(30_000);
    expect(backoffDelayMs(1, cfg, 120_000, () => 1)).toBe(120_000);
  });
});

describe('outbox worker', () => {
  let p: Awaited<ReturnType<typeof makePipeline>> | undefined;
  afterEach(async () => {
    await p?.close();
    p = undefined;
  });

  const enqueue = async (channel = 'rec') => {
    const { incident } = await p!.store.recordAlert({
      dedupKey: `k${Math.random()}`,
      source: 'generic',
      groupKey: 'g',
      status: 'firing',
      payload: {},
      now: 0,
    });
    await p!.store.enqueueDeliveries(
      incident.id,
      [{ incidentId: incident.id, channel, kind: 'open', payload: { n: 1 } }],
      0,
    );
    return incident.id;
  };

  it('retries a rate-limited send no earlier than Retry-After, then delivers', async () => {
    let clock = 1_000;
    const rec = recordingChannel();
    rec.failures.push({ reason: 'rateLimited', retryAfterMs: 30_000 });
    p = await makePipeline({ channels: [rec.channel], now: () => clock });
    await enqueue();
    await p.worker.runOnce();
    const [d] = await p.store.listDeliveries();
    expect(d).toMatchObject({ state: 'pending', attempts: 1, lastReason: 'rateLimited' });
    expect(d!.nextAttemptAt - clock).toBeGreaterThanOrEqual(30_000);
    clock += 29_000;
    expect(await p.worker.runOnce()).toBe(0);
    clock += 1_000;
    await p.worker.runOnce();
    expect(rec.sent).toHaveLength(1);
    expect((await p.store.listDeliveries())[0]).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('dead-letters after maxAttempts of server errors, at once for client/auth errors; outbox retry revives', async () => {
    let clock = 0;
    const rec = recordingChannel();
    p = await makePipeline({
      channels: [rec.channel],
      now: () => clock,
      configure: (c) => (c.outbox.maxAttempts = 3),
    });
    for (let i = 0; i < 3; i++) rec.failures.push({ reason: 'serverError' });
    await enqueue();
    for (let i = 0; i < 5; i++) {
      await p.worker.runOnce();
      clock += 10_000;
    }
    expect((await p.store.listDeliveries())[0]).toMatchObject({
      state: 'dead',
      attempts: 3,
      lastReason: 'serverError',
    });
    rec.failures.push({ reason: 'authError' });
    await enqueue();
    await p.worker.runOnce();
    expect(await p.store.countByState()).toMatchObject({ dead: 2 });
    const metrics = await p.metrics.registry.metrics();
    expect(metrics).toContain('memtriage_deliveries_total{channel="rec",outcome="dead"} 2');
    expect(metrics).toContain('memtriage_deliveries_total{channel="rec",outcome="retry"} 2');

    const listed = await outboxList({ dataDir: p.dir }, { state: 'dead' });
    expect(listed.map((e) => e.lastReason).sort()).toEqual(['authError', 'serverError']);
    expect(formatOutboxList(listed)).toContain('dead\trec\topen\tattempts=');
    expect(await outboxRetry({ dataDir: p.dir }, listed[0]!.id)).toBe(1);
    expect(await outboxRetry({ dataDir: p.dir })).toBe(1);
    clock = Date.now();
    await p.worker.drain();
    expect(rec.sent).toHaveLength(2);
    await expect(outboxRetry({ dataDir: p!.dir }, 9999)).rejects.toThrow(/no dead or pending delivery/);
  });

  it('a process dying mid-send loses nothing: after reopening, the delivery is retried and recorded once', async () => {
    const rec = recordingChannel();
    p = await makePipeline({ channels: [rec.channel] });
    const id = await enqueue();
    // "crash": claimed and in flight, then the process is gone before recording the result
    await p.store.claimDeliveries(Date.now(), 10, 60_000);
    const dir = p.dir;
    await p.close(true);
    const store = openSqliteStore(dir);
    expect(await store.releaseInFlight()).toBe(1);
    const rec2 = recordingChannel();
    const worker = createOutboxWorker({
      store,
      channels: new Map([[rec2.channel.name, rec2.channel]]),
      config: {
        maxAttempts: 3,
        baseDelayMs: 1,
        maxDelayMs: 1,
        retryForMs: 60_000,
        drainMs: 0,
        concurrency: 4,
        leaseMs: 1000,
        pollMs: 10,
      },
    });
    await worker.drain();
    await worker.drain();
    expect(rec2.sent.map((m) => m.incidentId)).toEqual([id]);
    expect(await store.countByState()).toMatchObject({ delivered: 1, pending: 0, sending: 0 });
    await store.close();
    p = await makePipeline({ channels: [], dir });
  });

  it('start/kick delivers queued work without polling delay', async () => {
    const rec = recordingChannel();
    p = await makePipeline({ channels: [rec.channel] });
    p.worker.start();
    await enqueue();
    p.worker.kick();
    for (let i = 0; i < 50 && rec.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(rec.sent).toHaveLength(1);
  });
});
