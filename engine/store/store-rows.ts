import type { DeliveryRecord, DeliveryState, IncidentRecord, IncidentSummary } from './types.js';

/**
 * A stored row as both stores read it: the same column names in SQLite and PostgreSQL, times as
 * epoch-ms numbers, JSON as the text memtriage wrote.
 */
export type Row = Record<string, unknown>;

export function opt<T>(v: unknown, map: (x: never) => T): T | undefined {
  return v === null || v === undefined ? undefined : map(v as never);
}

export function toIncident(r: Row): IncidentRecord {
  const out: IncidentRecord = {
    id: r.id as string,
    dedupKey: r.dedup_key as string,
    source: r.source as IncidentRecord['source'],
    groupKey: r.group_key as string,
    status: r.status as IncidentRecord['status'],
    stage: r.stage as IncidentRecord['stage'],
    payload: JSON.parse(r.payload as string) as unknown,
    receivedAt: r.received_at as number,
    updatedAt: r.updated_at as number,
    repeats: r.repeats as number,
  };
  const resolvedAt = opt(r.resolved_at, (x: number) => x);
  if (resolvedAt !== undefined) out.resolvedAt = resolvedAt;
  const bundleDir = opt(r.bundle_dir, (x: string) => x);
  if (bundleDir !== undefined) out.bundleDir = bundleDir;
  const diagnosis = opt(r.diagnosis, (x: string) => JSON.parse(x) as IncidentRecord['diagnosis']);
  if (diagnosis !== undefined) out.diagnosis = diagnosis;
  const error = opt(r.error, (x: string) => x);
  if (error !== undefined) out.error = error;
  const queuedStatus = opt(r.queued_status, (x: IncidentRecord['status']) => x);
  if (queuedStatus !== undefined) out.queuedStatus = queuedStatus;
  return out;
}

export function toDelivery(r: Row): DeliveryRecord {
  const out: DeliveryRecord = {
    id: r.id as number,
    incidentId: r.incident_id as string,
    channel: r.channel as string,
    kind: r.kind as DeliveryRecord['kind'],
    payload: JSON.parse(r.payload as string) as unknown,
    state: r.state as DeliveryState,
    attempts: r.attempts as number,
    nextAttemptAt: r.next_attempt_at as number,
    createdAt: r.created_at as number,
  };
  if (r.lease_until !== null) out.leaseUntil = r.lease_until as number;
  if (r.last_error !== null) out.lastError = r.last_error as string;
  if (r.last_reason !== null) out.lastReason = r.last_reason as string;
  if (r.delivered_at !== null) out.deliveredAt = r.delivered_at as number;
  if (r.failing_since !== null && r.failing_since !== undefined) out.failingSince = r.failing_since as number;
  return out;
}

/** A row of the incident list: the indexed list columns only, no JSON. */
export function toSummary(r: Row): IncidentSummary {
  const out: IncidentSummary = {
    id: r.id as string,
    receivedAt: r.received_at as number,
    status: r.status as IncidentSummary['status'],
    stage: r.stage as IncidentSummary['stage'],
  };
  if (typeof r.service === 'string') out.service = r.service;
  if (typeof r.top_cause === 'string') out.topCause = r.top_cause;
  if (typeof r.list_severity === 'string') out.severity = r.list_severity;
  if (typeof r.alert_name === 'string') out.alertName = r.alert_name;
  if (typeof r.instance === 'string') out.instance = r.instance;
  if (typeof r.alert_summary === 'string') out.summary = r.alert_summary;
  if (typeof r.alert_starts_at === 'string') out.alertStartsAt = r.alert_starts_at;
  return out;
}
