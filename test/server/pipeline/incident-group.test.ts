import { describe, expect, it } from 'vitest';
import { incidentGroup } from '../../../engine/server/pipeline/incident-group.js';
import type { IncidentRecord } from '../../../engine/store/types.js';

const incident = (
  id: string,
  labels: Record<string, string>,
  at: number,
  resolvedAt?: number,
): IncidentRecord => ({
  id,
  dedupKey: `k-${id}`,
  source: 'alertmanager',
  groupKey: 'g',
  status: resolvedAt === undefined ? 'firing' : 'resolved',
  stage: 'queued',
  payload: { commonLabels: { alertname: 'M' }, alerts: [{ labels }] },
  receivedAt: at,
  updatedAt: at,
  repeats: 0,
  ...(resolvedAt !== undefined ? { resolvedAt } : {}),
});

describe('incidentGroup', () => {
  const a = incident('a', { alertname: 'M', pod: 'checkout-0', node: 'n1' }, 100);
  const b = incident('b', { alertname: 'M', pod: 'checkout-1', node: 'n1' }, 110);
  const old = incident('old', { alertname: 'M', pod: 'checkout-2', node: 'n2' }, 10, 50);
  const store = { incidentsInGroup: async () => [b, a, old] };

  it('names the other instances by the labels that tell them apart, linked under externalUrl', async () => {
    expect(await incidentGroup(store, a, new URL('https://ops.example/memtriage'))).toEqual({
      size: 2,
      others: [
        {
          id: 'b',
          name: 'pod=checkout-1',
          status: 'firing',
          url: 'https://ops.example/memtriage/incidents/b',
        },
      ],
    });
  });

  it('leaves out incidents of the group that were over before this one (an earlier firing), and lone or generic alerts', async () => {
    expect((await incidentGroup(store, b))?.others.map((o) => [o.id, o.url])).toEqual([['a', null]]);
    expect(await incidentGroup({ incidentsInGroup: async () => [a] }, a)).toBeUndefined();
    expect(await incidentGroup(store, { ...a, source: 'generic' })).toBeUndefined();
  });
});
