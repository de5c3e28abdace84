/**
 * Issue 16: no resolve lost, none waiting for a restart (in-process parts; the SIGKILL
 * reproduction is in kill9-resolve.test.ts).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../engine/server/start-server.js';
import type { RunningServer } from '../../engine/server/start-server.js';
import { copyBundle, makePipeline, recordingChannel } from './pipeline-fixture.js';
import { AM_SAMPLE } from './server-fixture.js';
import { until } from '../helpers/until.js';

let p: Awaited<ReturnType<typeof makePipeline>> | undefined;
let server: RunningServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const alert = (status: 'firing' | 'resolved') => ({
  dedupKey: 'A',
  source: 'alertmanager' as const,
  groupKey: 'gA',
  status,
  payload: { status },
  now: Date.now(),
});

describe('a resolve acknowledged but never queued (issue 16, 1)', () => {
  it('a re-sent resolve answered `repeat` finds the gap and restarts the pipeline', async () => {
    const rec = recordingChannel();
    p = await makePipeline({ channels: [rec.channel] });
    const fired = await p.store.recordAlert(alert('firing'));
    await p.pipeline.accepted(fired.incident, fired.outcome);
    await p.worker.drain();
    expect(rec.sent.map((m) => m.kind)).toEqual(['open']);

    // The resolve reached the disk (the webhook answered 202) but its pipeline never ran: a crash.
    const resolved = await p.store.recordAlert(alert('resolved'));
    expect(resolved.outcome).toBe('resolved');
    expect(await p.store.getIncident(fired.incident.id)).toMatchObject({
      stage: 'queued',
      queuedStatus: 'firing',
    });

    // Alertmanager re-sends the resolve: a repeat, which must still queue the missing step.
    const again = await p.store.recordAlert(alert('resolved'));
    expect(again.outcome).toBe('repeat');
    await p.pipeline.accepted(again.incident, again.outcome);
    await p.worker.drain();
    expect(rec.sent.map((m) => m.kind)).toEqual(['open', 'resolve']);
    expect((await p.store.getIncident(fired.incident.id))?.queuedStatus).toBe('resolved');

    // Caught up: a further repeat runs nothing.
    const third = await p.store.recordAlert(alert('resolved'));
    expect(p.pipeline.accepted(third.incident, third.outcome)).toBeUndefined();
  });

  it('recover() resumes it from the index, not from a window of recent incidents', async () => {
    const rec = recordingChannel();
    p = await makePipeline({ channels: [rec.channel] });
    const fired = await p.store.recordAlert({ ...alert('firing'), now: 1 });
    await p.pipeline.advance(fired.incident.id);
    for (let i = 0; i < 1100; i++) {
      const { incident } = await p.store.recordAlert({
        ...alert('firing'),
        dedupKey: `o${i}`,
        groupKey: `g${i}`,
        now: 10 + i,
      });
      await p.store.enqueueDeliveries(incident.id, [], 10 + i, 'firing');
    }
    await p.store.recordAlert({ ...alert('resolved'), now: 5000 });
    expect(await p.pipeline.recover()).toBe(1);
    await p.worker.drain();
    expect(rec.sent.map((m) => [m.incidentId, m.kind])).toEqual([
      [fired.incident.id, 'open'],
      [fired.incident.id, 'resolve'],
    ]);
  });
});

describe('a resolve that arrives before its firing (issue 16, 2)', () => {
  it('sends one "fired and resolved" runbook at once; the late firing is a repeat and sends nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mt-early-resolve-'));
    const cfg = join(dir, 'memtriage.yaml');
    writeFileSync(
      cfg,
      [
        'server: { dataDir: ./data }',
        'channels: { archive: { type: file, path: ./runbooks.jsonl } }',
        'defaultRoute: { channels: [archive] }',
        'outbox: { poll: 50ms }',
      ].join('\n'),
    );
    server = await startServer({ config: cfg, port: 0, logger: false, env: {} });
    const post = async (body: unknown) => {
      const res = await fetch(`${server!.url}/webhook/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(202);
      return (await res.json()) as { incident: string; outcome: string };
    };
    const resolved = structuredClone(AM_SAMPLE) as typeof AM_SAMPLE;
    resolved.status = 'resolved';
    resolved.alerts[0]!.status = 'resolved';
    resolved.alerts[0]!.endsAt = '2026-11-25T19:10:00Z';

    const first = await post(resolved);
    expect(first.outcome).toBe('resolved-unknown');
    const file = join(dir, 'runbooks.jsonl');
    const lines = () =>
      existsSync(file)
        ? readFileSync(file, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { incidentId: string; kind: string })
        : [];
    // No restart: both steps go out now.
    await until('the open and resolve steps of the early resolve', () => lines().length >= 2, 20_000);
    expect(lines().map((l) => [l.incidentId, l.kind])).toEqual([
      [first.incident, 'open'],
      [first.incident, 'resolve'],
    ]);

    const late = await post(AM_SAMPLE);
    expect(late).toMatchObject({ incident: first.incident, outcome: 'repeat', status: 'resolved' });
    // the repeat may wake the pipeline (it finds nothing to do); give it and the worker time to act
    await new Promise((r) => setTimeout(r, 300));
    expect(lines()).toHaveLength(2);
  });
});

describe('one channel failing to format a runbook', () => {
  it('gets the plain runbook, and the other channels still get theirs', async () => {
    const good = recordingChannel('good');
    const picky = recordingChannel('picky');
    // A formatter that refuses the full runbook (as resvg refused a chart with a control character).
    picky.channel.render = (i) => {
      if (i.runbook.templateId !== 'fallback') throw new Error('SVG data parsing failed');
      return { kind: i.kind, title: i.runbook.title, plain: true };
    };
    p = await makePipeline({ channels: [good.channel, picky.channel], acquire: copyBundle('pub-map-leak') });
    const fired = await p.store.recordAlert(alert('firing'));
    await p.pipeline.accepted(fired.incident, fired.outcome);
    await p.worker.drain();
    expect(good.sent.map((m) => m.kind)).toEqual(['open']);
    expect(picky.sent.map((m) => m.kind)).toEqual(['open']);
    expect(good.sent[0]!.payload).toMatchObject({ top: 'go-map-leak' });
    expect(picky.sent[0]!.payload).toMatchObject({ plain: true });
    expect((await p.store.getIncident(fired.incident.id))?.stage).toBe('queued');
  });
});
