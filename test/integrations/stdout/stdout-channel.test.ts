import { describe, expect, it } from 'vitest';
import { createStdoutChannel } from '../../../integrations/stdout/index.js';
import { fallbackRunbook } from '../../../engine/notify/fallback-runbook.js';
import { sampleDiagnosis as diagnosis } from '../sample-diagnosis.js';

describe('stdout channel', () => {
  it('prints the runbook on open and a one-line note on resolve', async () => {
    const out: string[] = [];
    const ch = createStdoutChannel({ name: 'console' }, { write: (t) => out.push(t) });
    const runbook = fallbackRunbook(diagnosis, 'test');
    const open = ch.render({ kind: 'open', incidentId: 'inc-1', runbook });
    const res = await ch.send(
      { id: 1, kind: 'open', incidentId: 'inc-1', payload: open },
      new AbortController().signal,
    );
    expect(out[0]).toContain('# orders: Go map grows without bound');
    expect(out[0]).toContain('severity: critical');
    expect(res.thread).toEqual({ incident: 'inc-1' });
    const resolve = ch.render({
      kind: 'resolve',
      incidentId: 'inc-1',
      runbook,
      resolvedAt: '2026-11-26T01:00:00Z',
      repeats: 2,
    });
    await ch.send(
      { id: 2, kind: 'resolve', incidentId: 'inc-1', payload: resolve },
      new AbortController().signal,
    );
    expect(out[1]).toBe(
      'Resolved: orders: Go map grows without bound (resolved 2026-11-26 01:00:00 UTC, 2 repeat notifications).\n\n',
    );
  });

  it('the runbook links to the incident page, the alert source and the silence under its title', () => {
    const out: string[] = [];
    const ch = createStdoutChannel({ name: 'console' }, { write: (t) => out.push(t) });
    const runbook = {
      ...fallbackRunbook(diagnosis, 'test'),
      incidentUrl: 'https://ops.example/incidents/inc-1',
      generatorURL: 'http://prometheus.example:9090/graph?g0.expr=up',
      silenceUrl: 'http://am.example:9093/#/silences/new?filter=%7Bservice%3D%22orders%22%7D',
    };
    const { text } = ch.render({ kind: 'open', incidentId: 'inc-1', runbook }) as { text: string };
    expect(text.split('\n').slice(1, 5)).toEqual([
      'severity: critical · status: firing · incident inc-1',
      'Incident page: https://ops.example/incidents/inc-1',
      'Alert source: http://prometheus.example:9090/graph?g0.expr=up',
      'Silence in Alertmanager: http://am.example:9093/#/silences/new?filter=%7Bservice%3D%22orders%22%7D',
    ]);
  });
});
