/**
 * Issue 16, 1, with a real SIGKILL: fire A; 1,100 other alerts; then a few more and A's resolve;
 * SIGKILL the moment the resolve is answered 202. After a restart A's resolve must be delivered,
 * although A is older than the newest 1,000 incidents.
 *
 * The 1,100 other incidents are written into the store directly while the server is down (as
 * incidents already delivered), not sent over HTTP: their pipelines would only load this shared
 * machine for a minute and slow the other tests; what matters is that they are newer than A.
 *
 * To make "the pipeline has not reached the resolve yet" certain rather than a race on a loaded
 * machine, the alerts sent just before the resolve select a target whose endpoint accepts the
 * connection and never answers, and the pipeline runs one incident at a time: the resolve waits
 * behind them for seconds. The test also checks that precondition on disk after the kill.
 */

import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import { AM_SAMPLE } from './server-fixture.js';
import { exited, serveProcess } from '../helpers/serve-process.js';
import { until } from '../helpers/until.js';

const dir = mkdtempSync(join(tmpdir(), 'mt-kill9-resolve-'));
const children: ChildProcess[] = [];
const sockets: Socket[] = [];
let stall: Server | undefined;
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const s of sockets) s.destroy();
  await new Promise((r) => (stall ? stall.close(r) : r(undefined)));
  rmSync(dir, { recursive: true, force: true });
});

async function serve(config: string): Promise<{ child: ChildProcess; url: string }> {
  const s = await serveProcess(config);
  children.push(s.child);
  return s;
}

function alert(name: string, extra: Record<string, string> = {}, status: 'firing' | 'resolved' = 'firing') {
  const p = structuredClone(AM_SAMPLE) as typeof AM_SAMPLE;
  p.groupKey = `{}:{alertname="${name}"}`;
  p.status = status;
  const a = p.alerts[0]!;
  a.status = status;
  a.fingerprint = `f-${name}`;
  a.labels = { ...(a.labels as Record<string, string>), alertname: name, ...extra };
  p.commonLabels = a.labels;
  return p;
}

describe('kill -9 right after a resolve is acknowledged (issue 16, 1)', () => {
  it('the resolve of an incident older than the newest 1,000 is delivered after restart', async () => {
    stall = createServer((s) => void sockets.push(s)); // accepts, never answers
    await new Promise<void>((r) => stall!.listen(0, '127.0.0.1', r));
    const stallPort = (stall.address() as { port: number }).port;
    const out = join(dir, 'runbooks.jsonl');
    const config = join(dir, 'memtriage.yaml');
    writeFileSync(
      config,
      [
        'server: { dataDir: ./data }',
        'channels: { archive: { type: file, path: ./runbooks.jsonl } }',
        'defaultRoute: { channels: [archive] }',
        'outbox: { poll: 50ms, baseDelay: 50ms, maxDelay: 200ms }',
        'pipeline: { concurrency: 1 }',
        'targets:',
        `  - { name: stalled, match: { slow: "yes" }, go: "http://127.0.0.1:${stallPort}", duration: 0s, timeout: 1s }`,
      ].join('\n'),
    );
    const lines = () =>
      existsSync(out)
        ? readFileSync(out, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { incidentId: string; kind: string })
        : [];

    let current = await serve(config);
    const post = async (body: unknown) => {
      const res = await fetch(`${current.url}/webhook/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(202);
      return (await res.json()) as { incident: string; outcome: string };
    };
    const a = await post(alert('A'));
    expect(a.outcome).toBe('new');
    await until(
      "A's runbook",
      () => lines().some((l) => l.incidentId === a.incident && l.kind === 'open'),
      60_000,
    );
    current.child.kill('SIGKILL');
    await exited(current.child);

    let store = openSqliteStore(join(dir, 'data'));
    const t0 = Date.now();
    for (let i = 0; i < 1100; i++) {
      const p = alert(`other${i}`);
      const { incident } = await store.recordAlert({
        dedupKey: `other${i}`,
        source: 'alertmanager',
        groupKey: p.groupKey as string,
        status: 'firing',
        payload: p,
        now: t0 + i,
      });
      await store.enqueueDeliveries(incident.id, [], t0 + i, 'firing');
    }
    await store.close();

    current = await serve(config);
    for (let i = 0; i < 3; i++) await post(alert(`stalled${i}`, { slow: 'yes' }));
    const r = await post(alert('A', {}, 'resolved'));
    current.child.kill('SIGKILL'); // the moment the resolve is acknowledged
    await exited(current.child);
    expect(r).toMatchObject({ incident: a.incident, outcome: 'resolved' });

    // The bug's precondition, read from disk: A resolved, its resolve not in the outbox, and
    // more than 1,000 newer incidents.
    store = openSqliteStore(join(dir, 'data'));
    expect((await store.getIncident(a.incident))?.status).toBe('resolved');
    expect((await store.deliveriesFor(a.incident)).map((d) => d.kind)).toEqual(['open']);
    expect((await store.listIncidents(1000)).some((i) => i.id === a.incident)).toBe(false);
    await store.close();

    const second = await serve(config);
    await until(
      "A's resolve after restart",
      () => lines().some((l) => l.incidentId === a.incident && l.kind === 'resolve'),
      60_000,
    );
    second.child.kill('SIGKILL');
    await exited(second.child);
    store = openSqliteStore(join(dir, 'data'));
    expect(await store.getIncident(a.incident)).toMatchObject({
      status: 'resolved',
      queuedStatus: 'resolved',
    });
    await store.close();
    const forA = lines()
      .filter((l) => l.incidentId === a.incident)
      .map((l) => l.kind);
    // The first kill comes the moment A's runbook is in the file, possibly before the outbox recorded
    // it as delivered: delivery is at least once, so that open may be sent once more. The resolve is
    // what this test is about: exactly one, after the open.
    expect(forA.filter((k) => k === 'resolve')).toHaveLength(1);
    expect(forA.at(-1)).toBe('resolve');
    expect(forA.filter((k) => k === 'open').length).toBeGreaterThanOrEqual(1);
    expect(forA.filter((k) => k === 'open').length).toBeLessThanOrEqual(2);
  }, 300_000);
});
