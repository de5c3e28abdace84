import { basename, resolve } from 'node:path';
import type { RawBundle } from '../bundle/types.js';
import type { IncidentInfo, IncidentTarget } from './types.js';

function stringRecord(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * The incident a bundle describes, for a diagnosis run from the CLI: the alert in alert.json
 * (an Alertmanager payload or a single alert) when there is one, meta.json otherwise.
 */
export function incidentFromBundle(bundle: RawBundle): IncidentInfo {
  const alert = (typeof bundle.alert === 'object' && bundle.alert !== null ? bundle.alert : {}) as Record<
    string,
    unknown
  >;
  const first = (Array.isArray(alert['alerts']) ? alert['alerts'][0] : alert) as
    Record<string, unknown> | undefined;
  const labels = { ...stringRecord(alert['commonLabels']), ...stringRecord(first?.['labels']) };
  const annotations = {
    ...stringRecord(alert['commonAnnotations']),
    ...stringRecord(first?.['annotations']),
  };
  const status = alert['status'] ?? first?.['status'];
  const service = labels['service'] ?? labels['job'] ?? labels['container'] ?? bundle.meta?.service;
  const startsAt = first?.['startsAt'];
  const generatorURL = first?.['generatorURL'];
  const meta = bundle.meta ?? {};
  const instance = typeof meta.instance === 'string' ? meta.instance : hostOf(meta.target);
  const target: IncidentTarget = {
    ...(instance !== undefined ? { instance } : {}),
    ...(typeof meta.pid === 'number' ? { pid: meta.pid } : {}),
    ...(typeof meta.cgroupDir === 'string' ? { cgroup: meta.cgroupDir } : {}),
    ...(typeof meta.runtime === 'string' && meta.runtime !== ''
      ? { runtimeVersion: meta.runtime.split('\n')[0]! }
      : {}),
  };
  return {
    id: basename(resolve(bundle.dir)).replace(/\.(tar\.gz|tgz)$/i, ''),
    source: 'cli',
    bundle: bundle.dir,
    ...(typeof service === 'string' ? { service } : {}),
    labels,
    annotations,
    ...(typeof startsAt === 'string' ? { startsAt } : {}),
    status: status === 'firing' || status === 'resolved' ? status : 'unknown',
    ...(typeof generatorURL === 'string' ? { generatorURL } : {}),
    ...(Object.keys(target).length > 0 ? { target } : {}),
  };
}

/** `http://10.0.4.17:6060/…` → `10.0.4.17:6060`: where `memtriage collect` sampled the service. */
function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}
