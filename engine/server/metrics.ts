import client from 'prom-client';

/**
 * memtriage's own metrics, on a registry per server (tests build many servers in one process;
 * prom-client's global registry would refuse the second registration). Every name starts with
 * `memtriage_` (docs/architecture.md, "Public interfaces").
 */
export interface ServerMetrics {
  registry: client.Registry;
  alertsReceived: client.Counter<'source' | 'status' | 'outcome'>;
  rejected: client.Counter<'source' | 'reason'>;
  incidentsByCause: client.Counter<'cause'>;
  deliveries: client.Counter<'channel' | 'outcome'>;
  outboxDepth: client.Gauge<'state'>;
  acquisitionSeconds: client.Histogram<'target' | 'outcome'>;
  pipelineSeconds: client.Histogram<'outcome'>;
  retentionDeleted: client.Counter<'what'>;
  storageReady: client.Gauge;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): ServerMetrics {
  const registry = new client.Registry();
  if (opts.defaultMetrics) client.collectDefaultMetrics({ register: registry, prefix: 'memtriage_' });
  const registers = [registry];
  return {
    registry,
    alertsReceived: new client.Counter({
      name: 'memtriage_alerts_received_total',
      help: 'Webhook notifications accepted, by source, alert status and dedup outcome (new, repeat, resolved).',
      labelNames: ['source', 'status', 'outcome'],
      registers,
    }),
    rejected: new client.Counter({
      name: 'memtriage_webhook_rejected_total',
      help: 'Webhook requests refused, by reason (unauthorized, too_large, bad_json, bad_shape, busy: too many bodies read before auth).',
      labelNames: ['source', 'reason'],
      registers,
    }),
    incidentsByCause: new client.Counter({
      name: 'memtriage_incidents_total',
      help: 'Diagnosed incidents by top cause (rule id), or healthy / inconclusive.',
      labelNames: ['cause'],
      registers,
    }),
    deliveries: new client.Counter({
      name: 'memtriage_deliveries_total',
      help: 'Delivery attempts by channel and outcome (delivered, retry, dead).',
      labelNames: ['channel', 'outcome'],
      registers,
    }),
    outboxDepth: new client.Gauge({
      name: 'memtriage_outbox_depth',
      help: 'Outbox rows by state (pending, sending, delivered, dead); refreshed at every scrape, and pending/sending/dead after worker passes (at most once a second).',
      labelNames: ['state'],
      registers,
    }),
    acquisitionSeconds: new client.Histogram({
      name: 'memtriage_acquisition_seconds',
      help: 'Time to acquire evidence from a configured target at alert time.',
      labelNames: ['target', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    pipelineSeconds: new client.Histogram({
      name: 'memtriage_pipeline_seconds',
      help: 'Time from an accepted alert to its deliveries being queued (acquire, diagnose, render).',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    retentionDeleted: new client.Counter({
      name: 'memtriage_retention_deleted_total',
      help: 'Incidents and bundles deleted by retention (server.retention maxAge / maxBytes).',
      labelNames: ['what'],
      registers,
    }),
    storageReady: new client.Gauge({
      name: 'memtriage_storage_ready',
      help: '1 while the store takes writes, 0 after a write failed on the disk (full, I/O error) until one succeeds again.',
      registers,
    }),
  };
}
