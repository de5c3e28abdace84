import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Secret } from '../../../engine/config/secret.js';
import { alertmanagerAlertKey } from '../../../engine/server/dedup-key.js';
import type { AlertmanagerPayload } from '../../../engine/server/alert-schemas.js';
import { createSlackChannel } from '../../../integrations/slack/index.js';
import { copyBundle, makePipeline } from '../../server/pipeline-fixture.js';
import { amPayload } from '../../server/server-fixture.js';
import { startSlackFake } from './slack-fake.js';

let fake: Awaited<ReturnType<typeof startSlackFake>>;
beforeEach(async () => {
  fake = await startSlackFake();
});
afterEach(async () => fake.close());

const slack = () =>
  createSlackChannel({
    name: 'oncall',
    token: new Secret('xoxb-t'),
    channel: 'C1',
    apiUrl: fake.url,
    timeoutMs: 1000,
  });

function alert(status: 'firing' | 'resolved') {
  const payload = amPayload({ status }) as unknown as AlertmanagerPayload;
  payload.alerts[0]!.status = status;
  return {
    dedupKey: alertmanagerAlertKey(payload.groupKey, payload.alerts[0]!),
    source: 'alertmanager' as const,
    groupKey: payload.groupKey,
    status,
    payload,
    now: Date.now(),
  };
}

describe('slack through the outbox', () => {
  it('one thread per incident across a restart: repeats send nothing, resolve replies and updates the stored ts', async () => {
    let p = await makePipeline({ channels: [slack()], acquire: copyBundle('pub-map-leak') });
    const { incident } = await p.store.recordAlert(alert('firing'));
    await p.pipeline.advance(incident.id);
    await p.worker.drain();
    // the short summary, then the runbook as a reply in its thread
    expect(fake.requests.map((r) => r.method)).toEqual(['chat.postMessage', 'chat.postMessage']);
    expect(fake.requests[0]!.params.thread_ts).toBeUndefined();
    expect(fake.requests[1]!.params).toMatchObject({ thread_ts: '1764120000.000001' });
    expect(String(fake.requests[1]!.params.text)).toMatch(/^Runbook: /);
    const dir = p.dir;
    await p.close(true);

    // a new process on the same data dir
    p = await makePipeline({ channels: [slack()], dir });
    expect((await p.store.recordAlert(alert('firing'))).outcome).toBe('repeat');
    expect((await p.store.recordAlert(alert('resolved'))).outcome).toBe('resolved');
    await p.pipeline.advance(incident.id);
    await p.worker.drain();
    const [first, , reply, update] = fake.requests;
    expect(fake.requests).toHaveLength(4);
    expect(first!.params.text).toContain('map');
    expect(reply).toMatchObject({ method: 'chat.postMessage', params: { thread_ts: '1764120000.000001' } });
    expect(update).toMatchObject({
      method: 'chat.update',
      params: { ts: '1764120000.000001', channel: 'C1' },
    });
    await p.close();
  });

  it('a 429 storm: every retry waits at least Retry-After, the message goes out exactly once', async () => {
    let clock = 1_000_000;
    const p = await makePipeline({ channels: [slack()], now: () => clock });
    for (let i = 0; i < 5; i++) fake.script.push({ status: 429, headers: { 'retry-after': '3' } });
    const { incident } = await p.store.recordAlert(alert('firing'));
    await p.pipeline.advance(incident.id);
    const attemptTimes: number[] = [];
    for (let step = 0; step < 40; step++) {
      const before = fake.requests.length;
      await p.worker.runOnce();
      if (fake.requests.length > before) attemptTimes.push(clock);
      clock += 1_000;
    }
    // six attempts at the summary (five 429s), then the runbook reply once
    expect(fake.requests).toHaveLength(7);
    expect(fake.requests.slice(0, 6).every((r) => r.params.thread_ts === undefined)).toBe(true);
    attemptTimes.pop();
    for (let i = 1; i < attemptTimes.length; i++)
      expect(attemptTimes[i]! - attemptTimes[i - 1]!).toBeGreaterThanOrEqual(3_000);
    const open = (await p.store.deliveriesFor(incident.id)).find((d) => d.kind === 'open');
    expect(open).toMatchObject({ state: 'delivered', attempts: 6 });
    const metrics = await p.metrics.registry.metrics();
    expect(metrics).toContain('memtriage_deliveries_total{channel="oncall",outcome="retry"} 5');
    await p.close();
  });
});
