import { labelPaths, STARTS_AT_PATHS, SUMMARY_PATHS } from './payload-paths.js';

/**
 * Schema of the PostgreSQL store. `memtriage_schema` records each applied migration version; the
 * store applies the missing ones when it opens, all in one transaction that first takes
 * `pg_advisory_xact_lock(PG_MIGRATION_LOCK)`, so replicas starting together migrate once, one
 * after the other. A database whose version is newer than {@link PG_SCHEMA_VERSION} is refused.
 *
 * Migration 1 is the whole schema of the SQLite store at its version 4 (PostgreSQL has no older
 * databases to upgrade), plus the bundle table. JSON is kept as the text JSON.stringify wrote
 * (read back with JSON.parse: the same object, key order included, whatever it holds). The
 * incident's payload and diagnosis also have a `json` twin (`payload_doc`, `diagnosis_doc`) with
 * the two things PostgreSQL's json refuses to read replaced by U+FFFD (a `\u0000` escape, a lone
 * surrogate): the list columns are generated (`STORED`) from the twins on write, as SQLite's
 * virtual columns are from the JSON on read, and an odd webhook body can never fail the insert.
 */
export const PG_SCHEMA_VERSION = 1;

/** The advisory lock key migrations hold (arbitrary, fixed: "memtriage" in ASCII, truncated to 63 bits). */
export const PG_MIGRATION_LOCK = 0x6d656d747269616en;

/** `#>>` path of a JSON path like `$.alerts[0].labels.pod`. */
const path = (p: string): string =>
  `'{${p
    .replace(/^\$\.?/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .join(',')}}'`;
const fromPayload = (...paths: string[]) =>
  `coalesce(${paths.map((p) => `nullif(payload_doc #>> ${path(p)}, '')`).join(', ')})`;

export const PG_SCHEMA_V1 = `
CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  seq BIGSERIAL NOT NULL,
  dedup_key TEXT NOT NULL,
  source TEXT NOT NULL,
  group_key TEXT NOT NULL,
  status TEXT NOT NULL,
  stage TEXT NOT NULL,
  payload TEXT NOT NULL,
  payload_doc JSON NOT NULL,
  received_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  resolved_at BIGINT,
  repeats INTEGER NOT NULL DEFAULT 0,
  bundle_dir TEXT,
  diagnosis TEXT,
  diagnosis_doc JSON,
  error TEXT,
  queued_status TEXT,
  service TEXT GENERATED ALWAYS AS (coalesce(
    diagnosis_doc #>> '{incident,service}',
    payload_doc #>> '{commonLabels,service}', payload_doc #>> '{commonLabels,job}',
    payload_doc #>> '{labels,service}', payload_doc #>> '{labels,job}',
    payload_doc #>> '{alert,labels,service}', payload_doc #>> '{alert,labels,job}')) STORED,
  top_cause TEXT GENERATED ALWAYS AS (
    coalesce(diagnosis_doc #>> '{causes,0,ruleId}', diagnosis_doc #>> '{outcome}')) STORED,
  severity TEXT GENERATED ALWAYS AS (diagnosis_doc #>> '{causes,0,severity}') STORED,
  alert_name TEXT GENERATED ALWAYS AS (${fromPayload(...labelPaths('alertname'), '$.alert.name')}) STORED,
  instance TEXT GENERATED ALWAYS AS (${fromPayload(...labelPaths('pod'), ...labelPaths('instance'))}) STORED,
  alert_summary TEXT GENERATED ALWAYS AS (substr(${fromPayload(...SUMMARY_PATHS)}, 1, 300)) STORED,
  alert_starts_at TEXT GENERATED ALWAYS AS (
    ${fromPayload(...STARTS_AT_PATHS)}) STORED,
  list_severity TEXT GENERATED ALWAYS AS (
    coalesce(diagnosis_doc #>> '{causes,0,severity}', lower(${fromPayload(...labelPaths('severity'))}))) STORED
);
CREATE UNIQUE INDEX incidents_dedup ON incidents(dedup_key);
CREATE INDEX incidents_group ON incidents(group_key, received_at);
CREATE INDEX incidents_stage ON incidents(stage);
CREATE INDEX incidents_behind ON incidents(received_at)
  WHERE stage = 'queued' AND status = 'resolved' AND queued_status IS DISTINCT FROM 'resolved';
CREATE INDEX incidents_received ON incidents(received_at, seq);
CREATE INDEX incidents_status ON incidents(status, received_at);
CREATE INDEX incidents_service ON incidents(service, received_at);
CREATE INDEX incidents_cause ON incidents(top_cause, received_at);
CREATE INDEX incidents_severity ON incidents(list_severity, received_at);
CREATE INDEX incidents_alert ON incidents(alert_name, received_at);
CREATE INDEX incidents_instance ON incidents(instance, received_at);

CREATE TABLE outbox (
  id BIGSERIAL PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT,
  last_error TEXT,
  last_reason TEXT,
  created_at BIGINT NOT NULL,
  delivered_at BIGINT,
  failing_since BIGINT,
  UNIQUE (incident_id, channel, kind)
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_lease ON outbox(lease_until) WHERE state = 'sending';

CREATE TABLE threads (
  incident_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  ref TEXT NOT NULL,
  PRIMARY KEY (incident_id, channel)
);

CREATE TABLE hmac_replay (
  signature TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE INDEX hmac_replay_expiry ON hmac_replay(expires_at);

CREATE TABLE health (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  probed_at BIGINT NOT NULL
);

CREATE TABLE bundles (
  incident_id TEXT PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
  archive BYTEA NOT NULL,
  bytes BIGINT NOT NULL,
  stored_at BIGINT NOT NULL
);
`;

/** Every memtriage table (what `storedBytes` sums). */
export const PG_TABLES = [
  'incidents',
  'outbox',
  'threads',
  'hmac_replay',
  'health',
  'bundles',
  'memtriage_schema',
];

/** Every migration, oldest first. */
export const PG_MIGRATIONS: readonly { version: number; sql: string }[] = [{ version: 1, sql: PG_SCHEMA_V1 }];
