/**
 * Schema of the SQLite store. `user_version` numbers the migrations; a newer file refuses to
 * open with an older memtriage rather than guessing.
 */
export const SCHEMA_VERSION = 1;

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
