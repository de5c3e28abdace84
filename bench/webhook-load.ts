import { existsSync, readFileSync } from 'node:fs';

/** Shared by the webhook benches: the load they send and how they read what came out. */

let seq = 0;
/** One Alertmanager notification with one alert, a new incident each (its own group and fingerprint). */
export const amBody = (): string => {
  const i = seq++;
  const startsAt = new Date(Date.UTC(2026, 10, 25, 3, 0, 0) + i * 1000).toISOString();
  const labels = {
    alertname: 'OrdersHeapGrowth',
    service: 'orders',
    severity: 'warning',
    instance: `pod-${i}`,
  };
  return JSON.stringify({
    version: '4',
    groupKey: `{}:{alertname="OrdersHeapGrowth", instance="pod-${i}", run="${process.pid}"}`,
    receiver: 'memtriage',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels,
        annotations: { summary: 'orders heap keeps growing' },
        startsAt,
        fingerprint: `bench${process.pid}x${i}`,
      },
    ],
    groupLabels: { alertname: 'OrdersHeapGrowth', instance: `pod-${i}` },
    commonLabels: labels,
    commonAnnotations: { summary: 'orders heap keeps growing' },
    externalURL: 'http://alertmanager.example:9093',
  });
};

/** The p-th percentile (nearest rank) of `xs`. */
export const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** Lines in a file (a file channel's runbooks), 0 when it does not exist yet. */
export const lineCount = (file: string): number => {
  if (!existsSync(file)) return 0;
  const b = readFileSync(file);
  let n = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  return n;
};
