import { describe, expect, it } from 'vitest';
import type { RawBundle } from '../../engine/bundle/types.js';
import { incidentFromBundle } from '../../engine/diagnose/incident.js';

const bundle = (extra: Partial<RawBundle>): RawBundle => ({
  dir: '/tmp/orders-incident',
  profiles: [],
  cgroup: [],
  proc: [],
  nmt: [],
  unknownEntries: [],
  ...extra,
});

describe('incidentFromBundle', () => {
  it('fills the runbook target from what memtriage collect writes in meta.json', () => {
    const i = incidentFromBundle(
      bundle({
        meta: {
          service: 'orders-api',
          pid: 4242,
          runtime: 'go1.22.3',
          target: 'http://10.0.4.17:6060',
          cgroupDir: '/sys/fs/cgroup/kubepods.slice/orders.scope',
        },
      }),
    );
    expect(i.service).toBe('orders-api');
    expect(i.target).toEqual({
      instance: '10.0.4.17:6060',
      pid: 4242,
      cgroup: '/sys/fs/cgroup/kubepods.slice/orders.scope',
      runtimeVersion: 'go1.22.3',
    });
  });

  it('prefers the alert: labels, annotations and status from an Alertmanager payload', () => {
    const i = incidentFromBundle(
      bundle({
        meta: { service: 'from-meta', instance: '127.0.0.1:1' },
        alert: {
          status: 'resolved',
          commonLabels: { alertname: 'MemoryHigh', service: 'orders-api' },
          alerts: [
            {
              labels: { instance: 'web-1:6060' },
              annotations: { summary: 's' },
              startsAt: '2026-11-25T10:00:00Z',
            },
          ],
        },
      }),
    );
    expect(i.service).toBe('orders-api');
    expect(i.status).toBe('resolved');
    expect(i.labels).toEqual({ alertname: 'MemoryHigh', service: 'orders-api', instance: 'web-1:6060' });
    expect(i.startsAt).toBe('2026-11-25T10:00:00Z');
    expect(i.target?.instance).toBe('127.0.0.1:1');
  });
});
