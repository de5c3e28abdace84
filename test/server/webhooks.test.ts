import { afterEach, describe, expect, it } from 'vitest';
import { amPayload, makeServer } from './server-fixture.js';

let s: ReturnType<typeof makeServer>;
afterEach(async () => s?.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  s.app.inject({
    method: 'POST',
    url,
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('POST /webhook/alertmanager', () => {
  it('accepts the captured Alertmanager 0.25 payload, stores it before answering', async () => {
    s = makeServer();
    const res = await post('/webhook/alertmanager', amPayload());
    expect(res.statusCode).toBe(202);
    const body = res.json() as { incident: string; outcome: string };
    expect(body.outcome).toBe('new');
    const stored = await s.store.getIncident(body.incident);
    expect(stored).toMatchObject({
      source: 'alertmanager',
      groupKey: '{}:{alertname="CpuHigh"}',
      status: 'firing',
    });
    expect((stored?.payload as { alerts: { fingerprint: string }[] }).alerts[0]?.fingerprint).toBe(
      '27d2f262a1dbfb5f',
    );
  });

  it('dedups re-sends of the same group and alert set, resolves the same incident', async () => {
    s = makeServer();
    const first = (await post('/webhook/alertmanager', amPayload())).json() as { incident: string };
    const again = (await post('/webhook/alertmanager', amPayload())).json() as {
      incident: string;
      outcome: string;
    };
    expect(again).toMatchObject({ incident: first.incident, outcome: 'repeat' });
    const resolved = amPayload({ status: 'resolved' });
    (resolved.alerts as Record<string, unknown>[])[0]!.status = 'resolved';
    (resolved.alerts as Record<string, unknown>[])[0]!.endsAt = '2026-11-25T19:10:00Z';
    const r = (await post('/webhook/alertmanager', resolved)).json() as { incident: string; outcome: string };
    expect(r).toMatchObject({ incident: first.incident, outcome: 'resolved' });
    expect(await s.store.listIncidents(10)).toHaveLength(1);
    // the pipeline hook saw each decision, after the answer
    await new Promise((r) => setImmediate(r));
    expect(s.accepted.map((a) => a.outcome)).toEqual(['new', 'repeat', 'resolved']);
  });

  it('an alert joining the group is its own incident, the first one repeats; the group resolve closes both', async () => {
    s = makeServer();
    const one = (await post('/webhook/alertmanager', amPayload())).json() as { incident: string };
    const two = amPayload();
    const extra = {
      ...structuredClone((two.alerts as Record<string, unknown>[])[0]!),
      labels: { alertname: 'CpuHigh', instance: 'web-2', severity: 'critical' },
      fingerprint: 'aaaaaaaaaaaaaaaa',
    };
    (two.alerts as Record<string, unknown>[]).push(extra);
    two.commonLabels = { alertname: 'CpuHigh', severity: 'critical' };
    const second = (await post('/webhook/alertmanager', two)).json() as {
      incident: string;
      outcome: string;
      incidents: { id: string; outcome: string }[];
    };
    expect(second.incident).toBe(one.incident);
    expect(second.incidents.map((i) => i.outcome)).toEqual(['repeat', 'new']);
    const web2 = (await s.store.getIncident(second.incidents[1]!.id))!;
    // the stored incident is the notification narrowed to its own alert
    const stored = web2.payload as { alerts: { labels: Record<string, string> }[]; groupKey: string };
    expect(stored.alerts.map((a) => a.labels.instance)).toEqual(['web-2']);
    expect(web2.groupKey).toBe(stored.groupKey);
    expect((await s.store.incidentsInGroup(web2.groupKey, 10)).map((i) => i.id).sort()).toEqual(
      [one.incident, web2.id].sort(),
    );
    const resolved = structuredClone(two);
    resolved.status = 'resolved';
    for (const a of resolved.alerts as Record<string, unknown>[]) a.status = 'resolved';
    const r = (await post('/webhook/alertmanager', resolved)).json() as { incidents: { outcome: string }[] };
    expect(r.incidents.map((i) => i.outcome)).toEqual(['resolved', 'resolved']);
    await new Promise((r) => setImmediate(r));
    const closed = s.accepted.filter((a) => a.outcome === 'resolved').map((a) => a.incident.id);
    expect(closed.sort()).toEqual([one.incident, web2.id].sort());
  });

  it('one alert of a firing group resolving closes its own incident only', async () => {
    s = makeServer();
    const two = amPayload();
    (two.alerts as Record<string, unknown>[]).push({
      ...structuredClone((two.alerts as Record<string, unknown>[])[0]!),
      labels: { alertname: 'CpuHigh', instance: 'web-2', severity: 'critical' },
      fingerprint: 'bbbbbbbbbbbbbbbb',
    });
    const first = (await post('/webhook/alertmanager', two)).json() as { incidents: { id: string }[] };
    expect(first.incidents).toHaveLength(2);
    const partly = structuredClone(two);
    (partly.alerts as Record<string, unknown>[])[1]!.status = 'resolved';
    const r = (await post('/webhook/alertmanager', partly)).json() as { incidents: { outcome: string }[] };
    expect(r.incidents.map((i) => i.outcome)).toEqual(['repeat', 'resolved']);
    expect((await s.store.getIncident(first.incidents[0]!.id))!.status).toBe('firing');
    expect((await s.store.getIncident(first.incidents[1]!.id))!.status).toBe('resolved');
    // a resolve of an alert never seen firing does not close another instance's incident
    const stranger = amPayload({ status: 'firing' });
    (stranger.alerts as Record<string, unknown>[])[0] = {
      ...structuredClone((two.alerts as Record<string, unknown>[])[0]!),
      status: 'resolved',
      labels: { alertname: 'CpuHigh', instance: 'web-9' },
      fingerprint: 'cccccccccccccccc',
    };
    const u = (await post('/webhook/alertmanager', stranger)).json() as { outcome: string };
    expect(u.outcome).toBe('resolved-unknown');
    expect((await s.store.getIncident(first.incidents[0]!.id))!.status).toBe('firing');
  });

  it('a new startsAt for the same alert is a new incident', async () => {
    s = makeServer();
    await post('/webhook/alertmanager', amPayload());
    const later = amPayload();
    (later.alerts as Record<string, unknown>[])[0]!.startsAt = '2026-11-25T21:00:00Z';
    expect(((await post('/webhook/alertmanager', later)).json() as { outcome: string }).outcome).toBe('new');
  });

  it('answers 422 naming the path of a wrong field', async () => {
    s = makeServer();
    const bad = amPayload();
    (bad.alerts as Record<string, unknown>[])[0]!.startsAt = 42;
    const res = await post('/webhook/alertmanager', bad);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      error: { code: 'MT_ERR_HTTP_BAD_PAYLOAD', path: 'alerts[0].startsAt' },
    });
    const v3 = await post('/webhook/alertmanager', amPayload({ version: '3' }));
    expect(v3.json()).toMatchObject({ error: { path: 'version' } });
  });

  it('answers 400 for malformed JSON, 413 over the cap, 415 for another media type', async () => {
    s = makeServer((c) => (c.server.bodyLimitBytes = 4096));
    const bad = await post('/webhook/alertmanager', '{"version": "4",');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'MT_ERR_HTTP_BAD_JSON' } });
    const big = await post('/webhook/alertmanager', amPayload({ receiver: 'x'.repeat(5000) }));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: { code: 'MT_ERR_HTTP_BODY_TOO_LARGE' } });
    const text = await s.app.inject({
      method: 'POST',
      url: '/webhook/alertmanager',
      payload: 'hi',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.statusCode).toBe(415);
    expect(await s.store.listIncidents(10)).toHaveLength(0);
  });

  it('drops __proto__ keys instead of letting them reach the stored object', async () => {
    s = makeServer();
    const body = JSON.stringify(amPayload()).replace('"receiver"', '"__proto__":{"polluted":1},"receiver"');
    const res = await post('/webhook/alertmanager', body);
    expect(res.statusCode).toBe(202);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('POST /webhook/generic', () => {
  it('accepts an alert with attached facts and dedups by id', async () => {
    s = makeServer();
    const body = {
      alert: { name: 'OrdersRss', id: 'evt-1', labels: { service: 'orders' } },
      facts: { 'gctrace.liveHeapSlopeBytesPerSecond': 1048576 },
    };
    const a = (await post('/webhook/generic', body)).json() as { incident: string; outcome: string };
    const b = (await post('/webhook/generic', body)).json() as { incident: string; outcome: string };
    expect(a.outcome).toBe('new');
    expect(b).toMatchObject({ incident: a.incident, outcome: 'repeat' });
    expect((await s.store.getIncident(a.incident))?.groupKey).toBe('generic:OrdersRss');
  });

  it('refuses inline bundle paths that climb out of the bundle', async () => {
    s = makeServer();
    const res = await post('/webhook/generic', { alert: { name: 'x' }, bundle: { '../../etc/passwd': 'x' } });
    expect(res.statusCode).toBe(422);
    expect((res.json() as { error: { path: string } }).error.path).toContain('bundle');
  });
});

describe('ops routes', () => {
  it('healthz, readyz and 404 answer JSON', async () => {
    s = makeServer();
    expect((await s.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await s.app.inject('/readyz')).statusCode).toBe(200);
    const nf = await s.app.inject('/nope');
    expect(nf.statusCode).toBe(404);
    expect(nf.json()).toMatchObject({ error: { code: 'MT_ERR_HTTP_NOT_FOUND' } });
  });

  it('metrics are all prefixed memtriage_ and count accepted alerts', async () => {
    s = makeServer();
    await post('/webhook/alertmanager', amPayload());
    await post('/webhook/alertmanager', '{');
    const text = (await s.app.inject('/metrics')).body;
    expect(text).toContain(
      'memtriage_alerts_received_total{source="alertmanager",status="firing",outcome="new"} 1',
    );
    expect(text).toMatch(/memtriage_webhook_rejected_total\{source="alertmanager",reason="badJson"\} 1/);
    const names = [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(5);
    for (const n of names) expect(n).toMatch(/^memtriage_/);
  });
});
