/**
 * Schema of the SQLite store. `user_version` numbers the migrations; the store applies each one
 * newer than the file, in order and each in its own transaction, when it opens. A newer file
 * refuses to open with an older memtriage rather than guessing.
 */
export const SCHEMA_VERSION = 2;

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

/** Every migration, oldest first: `version` is the `user_version` once it is applied. */
export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  { version: 1, sql: SCHEMA_V1 },
  { version: 2, sql: SCHEMA_V2 },
];
