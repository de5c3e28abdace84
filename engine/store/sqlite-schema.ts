import { labelPaths, STARTS_AT_PATHS, SUMMARY_PATHS } from './payload-paths.js';

/**
 * Schema of the SQLite store. `user_version` numbers the migrations; the store applies each one
 * newer than the file, in order and each in its own transaction, when it opens. A newer file
 * refuses to open with an older memtriage rather than guessing.
 */
export const SCHEMA_VERSION = 5;

export const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS incidents (
  id TEXT PRIMARY KEY,
  dedup_key TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  group_key TEXT NOT NULL,
  status TEXT NOT NULL,
  stage TEXT NOT NULL,
  payload TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  resolved_at INTEGER,
  repeats INTEGER NOT NULL DEFAULT 0,
  bundle_dir TEXT,
  diagnosis TEXT,
  error TEXT
);
CREATE INDEX IF NOT EXISTS incidents_group ON incidents(group_key, received_at);
CREATE INDEX IF NOT EXISTS incidents_stage ON incidents(stage);
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER,
  last_error TEXT,
  last_reason TEXT,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  UNIQUE (incident_id, channel, kind)
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(state, next_attempt_at);
CREATE TABLE IF NOT EXISTS threads (
  incident_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  ref TEXT NOT NULL,
  PRIMARY KEY (incident_id, channel)
);
`;

/**
 * v2 (issue 16):
 * - `incidents.queued_status`: the alert status whose deliveries were queued. An incident whose
 *   status moved past it (resolved, but only its firing deliveries queued) is behind, and the
 *   partial index `incidents_behind` finds every such incident without a scan, however old.
 *   Existing rows: a resolved incident counts as caught up if a resolve step or no delivery at all
 *   was queued for it (what recovery used to assume), otherwise it is resumed once (idempotent).
 * - `outbox.failing_since`: when the current run of failed attempts began; the retry budget
 *   (`outbox.retryFor`) is counted from it, and a manual retry clears it. Rows already failing
 *   start it at their next failure, so an upgrade never dead-letters a row at once.
 */
export const SCHEMA_V2 = `
ALTER TABLE incidents ADD COLUMN queued_status TEXT;
UPDATE incidents SET queued_status = CASE
  WHEN status = 'firing' THEN 'firing'
  WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.incident_id = incidents.id AND o.kind IN ('resolve', 'resolve-update')) THEN 'resolved'
  WHEN NOT EXISTS (SELECT 1 FROM outbox o WHERE o.incident_id = incidents.id) THEN 'resolved'
  ELSE 'firing' END
WHERE stage = 'queued';
CREATE INDEX IF NOT EXISTS incidents_behind ON incidents(received_at)
  WHERE stage = 'queued' AND status = 'resolved' AND queued_status IS NOT 'resolved';
ALTER TABLE outbox ADD COLUMN failing_since INTEGER;
`;

/**
 * v3 (issue 12): what the web pages list and filter by, as indexed virtual columns computed by SQLite from
 * the stored JSON (no row is rewritten; a page reads a few short columns instead of parsing whole
 * incidents), an index to page by time, and the HMAC replay cache (a restart must not reopen the
 * replay window).
 */
export const SCHEMA_V3 = `
ALTER TABLE incidents ADD COLUMN service TEXT GENERATED ALWAYS AS (
  coalesce(
    json_extract(diagnosis, '$.incident.service'),
    json_extract(payload, '$.commonLabels.service'), json_extract(payload, '$.commonLabels.job'),
    json_extract(payload, '$.labels.service'), json_extract(payload, '$.labels.job'),
    json_extract(payload, '$.alert.labels.service'), json_extract(payload, '$.alert.labels.job')
  )) VIRTUAL;
ALTER TABLE incidents ADD COLUMN top_cause TEXT GENERATED ALWAYS AS (
  coalesce(json_extract(diagnosis, '$.causes[0].ruleId'), json_extract(diagnosis, '$.outcome'))) VIRTUAL;
ALTER TABLE incidents ADD COLUMN severity TEXT GENERATED ALWAYS AS (
  json_extract(diagnosis, '$.causes[0].severity')) VIRTUAL;
CREATE INDEX IF NOT EXISTS incidents_received ON incidents(received_at);
CREATE INDEX IF NOT EXISTS incidents_status ON incidents(status, received_at);
CREATE INDEX IF NOT EXISTS incidents_service ON incidents(service, received_at);
CREATE INDEX IF NOT EXISTS incidents_cause ON incidents(top_cause, received_at);
CREATE TABLE IF NOT EXISTS hmac_replay (
  signature TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS hmac_replay_expiry ON hmac_replay(expires_at);
CREATE TABLE IF NOT EXISTS health (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  probed_at INTEGER NOT NULL
);
`;

/** The first non-empty string among these JSON paths of the stored payload (Alertmanager, generic, single alert). */
const fromPayload = (...paths: string[]) =>
  `coalesce(${paths.map((p) => `nullif(json_extract(payload, '${p}'), '')`).join(', ')})`;

/**
 * v4 (issue 14): the incident list tells incidents apart — the alert's name, its instance (or
 * pod), its summary (cut to 300 characters), the alert's own severity and start — again as
 * indexed virtual columns over the stored JSON. `list_severity` is the severity the list shows and
 * filters by: the diagnosis's, else the alert's `severity` label (lower-cased).
 */
export const SCHEMA_V4 = `
ALTER TABLE incidents ADD COLUMN alert_name TEXT GENERATED ALWAYS AS (
  ${fromPayload(...labelPaths('alertname'), '$.alert.name')}) VIRTUAL;
ALTER TABLE incidents ADD COLUMN instance TEXT GENERATED ALWAYS AS (
  ${fromPayload(...labelPaths('pod'), ...labelPaths('instance'))}) VIRTUAL;
ALTER TABLE incidents ADD COLUMN alert_summary TEXT GENERATED ALWAYS AS (
  substr(${fromPayload(...SUMMARY_PATHS)}, 1, 300)) VIRTUAL;
ALTER TABLE incidents ADD COLUMN alert_starts_at TEXT GENERATED ALWAYS AS (
  ${fromPayload(...STARTS_AT_PATHS)}) VIRTUAL;
ALTER TABLE incidents ADD COLUMN list_severity TEXT GENERATED ALWAYS AS (
  coalesce(json_extract(diagnosis, '$.causes[0].severity'), lower(${fromPayload(...labelPaths('severity'))}))) VIRTUAL;
CREATE INDEX IF NOT EXISTS incidents_severity ON incidents(list_severity, received_at);
`;

/** v5: the incident list filters by alert name and instance too, through an index each. */
export const SCHEMA_V5 = `
CREATE INDEX IF NOT EXISTS incidents_alert ON incidents(alert_name, received_at);
CREATE INDEX IF NOT EXISTS incidents_instance ON incidents(instance, received_at);
`;

/**
 * Every migration, oldest first: `version` is the `user_version` once it is applied. The store
 * applies those newer than the file, each in its own transaction, and writes nothing otherwise.
 */
export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  { version: 1, sql: SCHEMA_V1 },
  { version: 2, sql: SCHEMA_V2 },
  { version: 3, sql: SCHEMA_V3 },
  { version: 4, sql: SCHEMA_V4 },
  { version: 5, sql: SCHEMA_V5 },
];
