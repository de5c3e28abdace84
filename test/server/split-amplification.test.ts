import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { amPayload, makeServer } from './server-fixture.js';

let s: ReturnType<typeof makeServer>;
afterEach(async () => s?.close());

/**
 * One notification becomes one incident per alert, each storing the notification narrowed to its
 * alert. The group-level fields (commonLabels, commonAnnotations, groupLabels) were copied into
 * every one of them, so a body of ~1 MiB — 1000 tiny alerts and ~900 KB of commonAnnotations no
 * alert carries — was stored 1000 times (~0.9 GB of SQLite, and as much again in alert.json files).
 */
describe('Alertmanager group split: stored bytes stay proportional to the body', () => {
  it('does not copy group-level labels/annotations the alert does not carry into every incident', async () => {
    s = makeServer();
    const base = amPayload();
    const alert = (base.alerts as Record<string, unknown>[])[0]!;
    const alerts = Array.from({ length: 1000 }, (_, i) => ({
      status: 'firing',
      labels: { i: String(i) },
      startsAt: alert.startsAt,
      fingerprint: i.toString(16),
    }));
    const big = 'x'.repeat(8000);
    const commonAnnotations = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`a${i}`, big]));
    const commonLabels = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`l${i}`, big]));
    const body = JSON.stringify({ ...base, alerts, commonAnnotations, commonLabels, groupLabels: {} });
    expect(body.length).toBeLessThan(1024 * 1024);
    const res = await s.app.inject({
      method: 'POST',
      url: '/webhook/alertmanager',
      payload: body,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(202);
    const incidents = await s.store.listIncidents(2000);
    expect(incidents).toHaveLength(1000);
    const stored = incidents.reduce((n, i) => n + JSON.stringify(i.payload).length, 0);
    // Each incident keeps its own alert and the notification's small fields (groupKey, receiver,
    // externalURL): a few times the body at most, not a thousand.
    expect(stored).toBeLessThan(8 * body.length);
    const size = (f: string) => {
      try {
        return statSync(join(s.dir, f)).size;
      } catch {
        return 0;
      }
    };
    expect(size('memtriage.db') + size('memtriage.db-wal')).toBeLessThan(64 * 1024 * 1024);
  }, 60_000);

  it('keeps the common labels and annotations every alert carries (a real Alertmanager notification)', async () => {
    s = makeServer();
    const p = amPayload();
    const a = structuredClone((p.alerts as Record<string, unknown>[])[0]!);
    const b = {
      ...structuredClone(a),
      labels: { ...(a.labels as object), instance: 'web-2' },
      fingerprint: 'b',
    };
    p.alerts = [a, b];
    p.commonLabels = { alertname: 'CpuHigh', severity: 'critical' };
    const res = await s.app.inject({
      method: 'POST',
      url: '/webhook/alertmanager',
      payload: JSON.stringify(p),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(202);
    for (const i of await s.store.listIncidents(10)) {
      const stored = i.payload as Record<string, unknown>;
      expect(stored.commonLabels).toEqual(p.commonLabels);
      expect(stored.commonAnnotations).toEqual(p.commonAnnotations);
      expect(stored.groupLabels).toEqual(p.groupLabels);
    }
  });
});
