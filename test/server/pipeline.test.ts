import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diagnoseBundle } from '../../engine/diagnose/diagnose-bundle.js';
import { alertmanagerAlertKey } from '../../engine/server/dedup-key.js';
import type { AlertmanagerPayload } from '../../engine/server/alert-schemas.js';
import { copyBundle, defaultRules, makePipeline, recordingChannel } from './pipeline-fixture.js';
import { amPayload } from './server-fixture.js';

let p: Awaited<ReturnType<typeof makePipeline>> | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

async function record(status: 'firing' | 'resolved', labels: Record<string, string> = { service: 'orders' }) {
  const payload = amPayload({ status, commonLabels: labels }) as unknown as AlertmanagerPayload;
  payload.alerts[0]!.status = status;
  return await p!.store.recordAlert({
    dedupKey: alertmanagerAlertKey(payload.groupKey, payload.alerts[0]!),
    source: 'alertmanager',
    groupKey: payload.groupKey,
    status,
    payload,
    now: Date.now(),
  });
}

describe('pipeline: acquire → bundle → diagnose → runbook → outbox → deliver', () => {
  it('diagnoses the acquired map-leak bundle and delivers one runbook; the bundle replays with diagnose', async () => {
    const rec = recordingChannel();
    p = await makePipeline({ channels: [rec.channel], acquire: copyBundle('pub-map-leak') });
    const { incident } = await record('firing');
    await p.pipeline.advance(incident.id);
    const stored = (await p.store.getIncident(incident.id))!;
    expect(stored.stage).toBe('queued');
    expect(stored.diagnosis?.causes[0]?.ruleId).toBe('go-map-leak');
    expect(stored.diagnosis?.incident).toMatchObject({
      id: incident.id,
      source: 'alertmanager',
      status: 'firing',
    });
    // the bundle is on disk in the bundle layout, alert.json included, and replays to the same cause
    const dir = stored.bundleDir!;
    expect(JSON.parse(readFileSync(join(dir, 'alert.json'), 'utf8'))).toMatchObject({ version: '4' });
    expect(existsSync(join(dir, 'gctrace.log'))).toBe(true);
    const replay = await diagnoseBundle(dir, await defaultRules());
    expect(replay.causes[0]?.ruleId).toBe('go-map-leak');

    await p.worker.drain();
    expect(rec.sent).toHaveLength(1);
    expect(rec.sent[0]).toMatchObject({ kind: 'open', payload: { top: 'go-map-leak' } });
    expect(await p.store.getThread(incident.id, 'rec')).toEqual({ ts: '1.0001' });
    const metrics = await p.metrics.registry.metrics();
    expect(metrics).toContain('memtriage_incidents_total{cause="go-map-leak"} 1');
    expect(metrics).toContain('memtriage_deliveries_total{channel="rec",outcome="delivered"} 1');
  });

  it('an alert with no evidence is still delivered, as inconclusive', async () => {
    const rec = recordingChannel();
    p = await makePipeline({ channels: [rec.channel] });
    const { incident } = await record('firing');
    await p.pipeline.advance(incident.id);
    expect((await p.store.getIncident(incident.id))?.diagnosis?.outcome).toBe('inconclusive');
    await p.worker.drain();
    expect(rec.sent).toHaveLength(1);
  });

  it('resolve threads onto the first message, and a resolve during the pipeline is not lost', async () => {
    const rec = recordingChannel('slackish', ['resolve', 'resolve-update']);
    p = await makePipeline({ channels: [rec.channel], acquire: copyBundle('pub-gc-thrash') });
    const { incident } = await record('firing');
    const running = p.pipeline.advance(incident.id);
    const r = await record('resolved'); // arrives while acquisition runs
    expect(r.outcome).toBe('resolved');
    await p.pipeline.advance(incident.id);
    await running;
    await p.worker.drain();
    expect(rec.sent.map((m) => m.kind)).toEqual(['open', 'resolve', 'resolve-update']);
    expect(rec.sent[1]?.thread).toEqual({ ts: '1.0001' });
    // repeats of the resolve change nothing
    expect((await record('resolved')).outcome).toBe('repeat');
    await p.pipeline.advance(incident.id);
    await p.worker.drain();
    expect(rec.sent).toHaveLength(3);
  });

  it('a diagnosis that throws still delivers the alert, marked inconclusive with the reason', async () => {
    const rec = recordingChannel();
    p = await makePipeline({
      channels: [rec.channel],
      rules: () => {
        throw new Error('rules exploded');
      },
    });
    const { incident } = await record('firing');
    await p.pipeline.advance(incident.id);
    const d = (await p.store.getIncident(incident.id))?.diagnosis;
    expect(d?.outcome).toBe('inconclusive');
    expect(d?.warnings[0]?.message).toContain('rules exploded');
    await p.worker.drain();
    expect(rec.sent).toHaveLength(1);
  });

  it('routes by label matchers with a default route', async () => {
    const a = recordingChannel('a');
    const b = recordingChannel('b');
    p = await makePipeline({
      channels: [a.channel, b.channel],
      configure: (c) => {
        c.routes = [{ match: { equal: { service: 'orders' }, regex: {} }, channels: ['b'], continue: false }];
        c.defaultChannels = ['a'];
      },
    });
    await p.pipeline.advance((await record('firing')).incident.id);
    await p.worker.drain();
    expect(a.sent).toHaveLength(0);
    expect(b.sent).toHaveLength(1);
  });
});
