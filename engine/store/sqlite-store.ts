import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MemtriageError } from '../errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './sqlite-schema.js';
import type {
  AlertInput,
  AlertStatus,
  DeliveryState,
  IncidentQuery,
  IncidentRecord,
  NewDelivery,
  RecordOutcome,
  RecordResult,
  Store,
  ThreadRef,
} from './types.js';
import { LIST_COLUMNS, QUERY_COLUMNS } from './types.js';
import { opt, toDelivery, toIncident, toSummary, type Row } from './store-rows.js';

/** The store's methods as better-sqlite3 runs them: synchronous, each one short transaction. */
type Methods = Exclude<keyof Store, 'sharedBundles'>;
type SyncStore = { [K in Methods]: (...args: Parameters<Store[K]>) => Awaited<ReturnType<Store[K]>> };

/**
 * The async {@link Store} over the synchronous one. A thrown error becomes a rejected promise, so
 * callers handle SQLite and PostgreSQL failures the same way.
 */
function asAsync(sync: SyncStore): Store {
  const out: Record<string, unknown> = { sharedBundles: false };
  for (const [name, fn] of Object.entries(sync) as [string, (...a: unknown[]) => unknown][]) {
    out[name] = (...args: unknown[]) => {
      try {
        return Promise.resolve(fn(...args));
      } catch (err) {
        return Promise.reject(err as Error);
      }
    };
  }
  return out as unknown as Store;
}

/** An incident row without its diagnosis (incidentsInGroup). */
const GROUP_MEMBER = `id, dedup_key, source, group_key, status, stage, payload, received_at, updated_at, resolved_at,
  repeats, bundle_dir, NULL AS diagnosis, error, queued_status`;

const DB_FILE = 'memtriage.db';

/**
 * The default store: one SQLite file (`<dataDir>/memtriage.db`) in WAL mode. Accepting an alert
 * commits with `synchronous = FULL` (the WAL is fsynced before the webhook answers, so an
 * accepted incident survives kill -9 and power loss); pipeline and outbox bookkeeping commits
 * with `NORMAL`, which survives a process crash and is made durable by the next FULL commit or
 * checkpoint (WAL is sequential). Losing such a commit to a power cut only repeats a step, which
 * every step tolerates. better-sqlite3 is synchronous; each call is a short transaction.
 */
export function openSqliteStore(dataDir: string): Store {
  return asAsync(openSync(dataDir));
}

function openSync(dataDir: string): SyncStore {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, DB_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new MemtriageError(
      'MT_ERR_STORE_VERSION',
      `${join(dataDir, DB_FILE)}: schema version ${version} is newer than this memtriage understands (${SCHEMA_VERSION})`,
    );
  }
  // Migrations write only when the file is older: a store reopened on a full disk must not need
  // a write to start (the server then answers 503 and recovers when space returns).
  for (const m of MIGRATIONS) {
    if (m.version <= version) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  // Keep the WAL small: checkpoint every ~1 MiB and truncate the file back to that after a
  // checkpoint (the default, 4 MiB and never truncated, is most of a small volume).
  db.pragma('wal_autocheckpoint = 256');
  db.pragma('journal_size_limit = 1048576');

  const q = {
    byKey: db.prepare('SELECT * FROM incidents WHERE dedup_key = ?'),
    byId: db.prepare('SELECT * FROM incidents WHERE id = ?'),
    allOpenInGroup: db.prepare("SELECT id FROM incidents WHERE group_key = ? AND status = 'firing'"),
    resolveOnly: db.prepare(
      "UPDATE incidents SET status = 'resolved', resolved_at = @now, updated_at = @now WHERE id = @id",
    ),
    openInGroup: db.prepare(
      "SELECT * FROM incidents WHERE group_key = ? AND status = 'firing' ORDER BY received_at DESC LIMIT 1",
    ),
    insert: db.prepare(
      `INSERT INTO incidents (id, dedup_key, source, group_key, status, stage, payload, received_at, updated_at, resolved_at)
       VALUES (@id, @dedupKey, @source, @groupKey, @status, 'received', @payload, @now, @now, @resolvedAt)`,
    ),
    repeat: db.prepare('UPDATE incidents SET repeats = repeats + 1, updated_at = ? WHERE id = ?'),
    resolve: db.prepare(
      "UPDATE incidents SET status = 'resolved', resolved_at = @now, updated_at = @now, payload = @payload WHERE id = @id",
    ),
    // Both halves use an index (incidents_stage, and the partial incidents_behind, named so the planner
    // cannot fall back to scanning every queued incident): no window, no scan.
    unfinished: db.prepare(
      `SELECT * FROM incidents WHERE stage IN ('received', 'acquired', 'diagnosed')
       UNION ALL
       SELECT * FROM incidents INDEXED BY incidents_behind
       WHERE stage = 'queued' AND status = 'resolved' AND queued_status IS NOT 'resolved'
       ORDER BY received_at`,
    ),
    list: db.prepare('SELECT * FROM incidents ORDER BY received_at DESC LIMIT ?'),
    // Without the diagnosis (NULL): the group's links need who and when, and each runbook render reads
    // up to 200 members, so parsing every member's diagnosis would cost more than the render.
    inGroup: db.prepare(
      `SELECT ${GROUP_MEMBER} FROM incidents WHERE group_key = ? ORDER BY received_at DESC LIMIT ?`,
    ),
    insertDelivery: db.prepare(
      `INSERT INTO outbox (incident_id, channel, kind, payload, state, next_attempt_at, created_at)
       VALUES (@incidentId, @channel, @kind, @payload, 'pending', @now, @now)
       ON CONFLICT (incident_id, channel, kind) DO NOTHING`,
    ),
    stageQueued: db.prepare(
      "UPDATE incidents SET stage = 'queued', queued_status = COALESCE(@status, status), updated_at = @now WHERE id = @id",
    ),
    claim: db.prepare(
      `UPDATE outbox SET state = 'sending', lease_until = @leaseUntil, attempts = attempts + 1
       WHERE id IN (SELECT id FROM outbox
                    WHERE (state = 'pending' AND next_attempt_at <= @now) OR (state = 'sending' AND lease_until <= @now)
                    ORDER BY next_attempt_at, id LIMIT @limit)
       RETURNING *`,
    ),
    delivery: db.prepare('SELECT * FROM outbox WHERE id = ?'),
    deliveriesFor: db.prepare('SELECT * FROM outbox WHERE incident_id = ? ORDER BY id'),
    delivered: db.prepare(
      "UPDATE outbox SET state = 'delivered', delivered_at = ?, lease_until = NULL, last_error = NULL WHERE id = ?",
    ),
    saveThread: db.prepare(
      'INSERT INTO threads (incident_id, channel, ref) VALUES (?, ?, ?) ON CONFLICT (incident_id, channel) DO NOTHING',
    ),
    getThread: db.prepare('SELECT ref FROM threads WHERE incident_id = ? AND channel = ?'),
    retry: db.prepare(
      `UPDATE outbox SET state = 'pending', lease_until = NULL, next_attempt_at = @at, last_error = @error,
       last_reason = @reason, attempts = attempts - @refund,
       failing_since = CASE WHEN @refund = 0 THEN COALESCE(failing_since, @failedAt) ELSE failing_since END
       WHERE id = @id`,
    ),
    dead: db.prepare(
      "UPDATE outbox SET state = 'dead', lease_until = NULL, last_error = ?, last_reason = ? WHERE id = ?",
    ),
    listAll: db.prepare('SELECT * FROM outbox ORDER BY id DESC LIMIT ?'),
    listState: db.prepare('SELECT * FROM outbox WHERE state = ? ORDER BY id DESC LIMIT ?'),
    retryOne: db.prepare(
      "UPDATE outbox SET state = 'pending', attempts = 0, failing_since = NULL, next_attempt_at = ?, lease_until = NULL WHERE id = ? AND state IN ('dead', 'pending')",
    ),
    retryDead: db.prepare(
      "UPDATE outbox SET state = 'pending', attempts = 0, failing_since = NULL, next_attempt_at = ?, lease_until = NULL WHERE state = 'dead'",
    ),
    release: db.prepare("UPDATE outbox SET state = 'pending', lease_until = NULL WHERE state = 'sending'"),
    counts: db.prepare('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state'),
    countState: db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE state = ?'),
    seenSignature: db.prepare('SELECT expires_at FROM hmac_replay WHERE signature = ?'),
    putSignature: db.prepare(
      'INSERT INTO hmac_replay (signature, expires_at) VALUES (?, ?) ON CONFLICT (signature) DO UPDATE SET expires_at = excluded.expires_at',
    ),
    expireSignatures: db.prepare('DELETE FROM hmac_replay WHERE expires_at <= ?'),
    prunable: db.prepare(
      `SELECT id, received_at, bundle_dir FROM incidents i
       WHERE received_at < @before AND stage IN ('queued', 'failed')
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.incident_id = i.id AND o.state != 'delivered')
       ORDER BY received_at LIMIT @limit`,
    ),
    deleteOutbox: db.prepare("DELETE FROM outbox WHERE incident_id = ? AND state = 'delivered'"),
    deleteThreads: db.prepare('DELETE FROM threads WHERE incident_id = ?'),
    deleteIncident: db.prepare(
      "DELETE FROM incidents WHERE id = ? AND NOT EXISTS (SELECT 1 FROM outbox WHERE incident_id = ? AND state != 'delivered')",
    ),
    probe: db.prepare(
      'INSERT INTO health (id, probed_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at',
    ),
    // Top causes over every incident through the index; the other causes (consequences, second
    // causes) over the most recent incidents only, so the page never parses the whole history.
    lastFired: db.prepare(
      `SELECT top_cause AS rule, MAX(received_at) AS at FROM incidents WHERE top_cause IS NOT NULL GROUP BY top_cause
       UNION ALL
       SELECT json_extract(c.value, '$.ruleId') AS rule, MAX(i.received_at) AS at
       FROM (SELECT received_at, diagnosis FROM incidents WHERE diagnosis IS NOT NULL
             ORDER BY received_at DESC LIMIT 500) i, json_each(i.diagnosis, '$.causes') c
       GROUP BY rule`,
    ),
  };

  /** WHERE clause of the list filters; every one of them is an indexed column. */
  const where = (f: IncidentQuery): { sql: string; params: Record<string, string> } => {
    const parts: string[] = [];
    const params: Record<string, string> = {};
    for (const [key, col] of Object.entries(QUERY_COLUMNS) as [keyof IncidentQuery, string][]) {
      const v = f[key];
      if (!v) continue;
      parts.push(`${col} = @${key}`);
      params[key] = v;
    }
    return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
  };
  const listStmts = new Map<string, Database.Statement>();
  const cached = (sql: string) => {
    let st = listStmts.get(sql);
    if (!st) {
      st = db.prepare(sql);
      listStmts.set(sql, st);
    }
    return st;
  };

  const deleteMany = db.transaction((ids: readonly string[]) => {
    let n = 0;
    for (const id of ids) {
      q.deleteOutbox.run(id);
      q.deleteThreads.run(id);
      n += q.deleteIncident.run(id, id).changes;
    }
    return n;
  });
  const remember = db.transaction((sig: string, expiresAt: number, now: number) => {
    const row = q.seenSignature.get(sig) as { expires_at: number } | undefined;
    if (row && row.expires_at > now) return false;
    q.expireSignatures.run(now);
    q.putSignature.run(sig, expiresAt);
    return true;
  });

  /** A group resolve (Alertmanager: every alert of the group resolved) closes the group's other open incidents too. */
  const closeGroup = (input: AlertInput, except: string): IncidentRecord[] => {
    if (input.status !== 'resolved' || !input.resolvesGroup) return [];
    const ids = (q.allOpenInGroup.all(input.groupKey) as { id: string }[])
      .map((r) => r.id)
      .filter((id) => id !== except);
    for (const id of ids) q.resolveOnly.run({ id, now: input.now });
    return ids.map((id) => toIncident(q.byId.get(id) as Row));
  };

  const recordAlert = db.transaction((input: AlertInput): RecordResult => {
    const result = recordOne(input);
    const alsoResolved = closeGroup(input, result.incident.id);
    return alsoResolved.length > 0 ? { ...result, alsoResolved } : result;
  });

  const recordOne = (input: AlertInput): { incident: IncidentRecord; outcome: RecordOutcome } => {
    const payload = JSON.stringify(input.payload);
    let row = q.byKey.get(input.dedupKey) as Row | undefined;
    if (!row && input.status === 'resolved' && !input.exactKey) {
      // A resolve whose alert set changed (an alert left the group first) still closes the group's open incident.
      row = q.openInGroup.get(input.groupKey) as Row | undefined;
    }
    if (!row) {
      const id = randomUUID();
      q.insert.run({
        id,
        dedupKey: input.dedupKey,
        source: input.source,
        groupKey: input.groupKey,
        status: input.status,
        payload,
        now: input.now,
        resolvedAt: input.status === 'resolved' ? input.now : null,
      });
      return {
        incident: toIncident(q.byId.get(id) as Row),
        outcome: input.status === 'resolved' ? 'resolved-unknown' : 'new',
      };
    }
    const id = row.id as string;
    if (row.status === 'firing' && input.status === 'resolved') {
      q.resolve.run({ id, now: input.now, payload });
      return { incident: toIncident(q.byId.get(id) as Row), outcome: 'resolved' };
    }
    q.repeat.run(input.now, id);
    return { incident: toIncident(q.byId.get(id) as Row), outcome: 'repeat' };
  };

  const enqueue = db.transaction(
    (incidentId: string, items: readonly NewDelivery[], now: number, status?: AlertStatus) => {
      for (const it of items) {
        q.insertDelivery.run({ ...it, payload: JSON.stringify(it.payload), now });
      }
      q.stageQueued.run({ id: incidentId, now, status: status ?? null });
    },
  );

  const markDelivered = db.transaction((id: number, now: number, thread?: ThreadRef) => {
    q.delivered.run(now, id);
    if (thread) {
      const row = q.delivery.get(id) as Row | undefined;
      if (row) q.saveThread.run(row.incident_id, row.channel, JSON.stringify(thread));
    }
  });

  const updateStmts = new Map<string, Database.Statement>();
  const columns: Record<string, string> = {
    stage: 'stage',
    bundleDir: 'bundle_dir',
    diagnosis: 'diagnosis',
    error: 'error',
  };

  const recordBatch = db.transaction((inputs: readonly AlertInput[]) => inputs.map((i) => recordAlert(i)));
  /** Accepting alerts is the one commit that must reach the disk before we answer: fsync it. */
  const durably = <T>(fn: () => T): T => {
    db.pragma('synchronous = FULL');
    try {
      return fn();
    } finally {
      db.pragma('synchronous = NORMAL');
    }
  };

  return {
    recordAlert: (input) => durably(() => recordAlert(input)),
    recordAlerts: (inputs) => durably(() => recordBatch(inputs)),
    getIncident: (id) => opt(q.byId.get(id), toIncident),
    unfinishedIncidents: () => (q.unfinished.all() as Row[]).map(toIncident),
    listIncidents: (limit) => (q.list.all(limit) as Row[]).map(toIncident),
    updateIncident(id, patch, now) {
      const keys = Object.keys(patch).filter((k) => k in columns);
      if (keys.length === 0) return;
      const sig = keys.join(',');
      let stmt = updateStmts.get(sig);
      if (!stmt) {
        const sets = keys.map((k) => `${columns[k]} = @${k}`).join(', ');
        stmt = db.prepare(`UPDATE incidents SET ${sets}, updated_at = @now WHERE id = @id`);
        updateStmts.set(sig, stmt);
      }
      const params: Record<string, unknown> = { id, now };
      for (const k of keys) {
        const v = (patch as Record<string, unknown>)[k];
        params[k] = k === 'diagnosis' ? JSON.stringify(v) : (v ?? null);
      }
      stmt.run(params);
    },
    enqueueDeliveries: (incidentId, items, now, status) => enqueue(incidentId, items, now, status),
    claimDeliveries: (now, limit, leaseMs) =>
      (q.claim.all({ now, limit, leaseUntil: now + leaseMs }) as Row[])
        .map(toDelivery)
        .sort((a, b) => a.id - b.id),
    getDelivery: (id) => opt(q.delivery.get(id), toDelivery),
    deliveriesFor: (incidentId) => (q.deliveriesFor.all(incidentId) as Row[]).map(toDelivery),
    markDelivered: (id, now, thread) => markDelivered(id, now, thread),
    markRetry(id, at, error, reason, countAttempt = true, failedAt = Date.now()) {
      q.retry.run({ id, at, error, reason, refund: countAttempt ? 0 : 1, failedAt });
    },
    markDead(id, error, reason) {
      q.dead.run(error, reason, id);
    },
    listDeliveries(filter = {}) {
      const limit = filter.limit ?? 100;
      const rows = filter.state ? q.listState.all(filter.state, limit) : q.listAll.all(limit);
      return (rows as Row[]).map(toDelivery);
    },
    retryDeliveries(id, now = Date.now()) {
      return id === undefined ? q.retryDead.run(now).changes : q.retryOne.run(now, id).changes;
    },
    releaseInFlight: () => q.release.run().changes,
    countByState(only) {
      const out: Record<DeliveryState, number> = { pending: 0, sending: 0, delivered: 0, dead: 0 };
      const rows = only
        ? only.map((state) => ({ state, n: (q.countState.get(state) as { n: number }).n }))
        : (q.counts.all() as { state: DeliveryState; n: number }[]);
      for (const r of rows) out[r.state] = r.n;
      return out;
    },
    getThread(incidentId, channel) {
      const r = q.getThread.get(incidentId, channel) as { ref: string } | undefined;
      return r ? (JSON.parse(r.ref) as ThreadRef) : undefined;
    },
    listIncidentSummaries(query, limit, offset) {
      const w = where(query);
      const rows = cached(
        `SELECT id, received_at, status, stage, service, top_cause, list_severity, alert_name, instance,
                alert_summary, alert_starts_at FROM incidents ${w.sql}
         ORDER BY received_at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
      ).all({ ...w.params, limit, offset }) as Row[];
      return rows.map(toSummary);
    },
    countIncidents(query) {
      const w = where(query);
      return (cached(`SELECT COUNT(*) AS n FROM incidents ${w.sql}`).get(w.params) as { n: number }).n;
    },
    incidentsInGroup: (groupKey, limit) => (q.inGroup.all(groupKey, limit) as Row[]).map(toIncident),
    distinctIncidentValues(column, limit) {
      const col = LIST_COLUMNS[column];
      const rows = cached(
        `SELECT DISTINCT ${col} AS v FROM incidents WHERE ${col} IS NOT NULL AND ${col} != '' ORDER BY v LIMIT ?`,
      ).all(limit) as { v: unknown }[];
      return rows.flatMap((r) => (typeof r.v === 'string' ? [r.v] : []));
    },
    lastFiredByRule() {
      const out = new Map<string, number>();
      for (const r of q.lastFired.all() as { rule: unknown; at: number }[]) {
        if (typeof r.rule === 'string' && r.at > (out.get(r.rule) ?? -Infinity)) out.set(r.rule, r.at);
      }
      return out;
    },
    rememberSignature: (sig, expiresAt, now) => remember(sig, expiresAt, now),
    prunableIncidents(before, limit) {
      return (q.prunable.all({ before, limit }) as Row[]).map((r) => ({
        id: r.id as string,
        receivedAt: r.received_at as number,
        ...(typeof r.bundle_dir === 'string' ? { bundleDir: r.bundle_dir } : {}),
      }));
    },
    deleteIncidents: (ids) => deleteMany(ids),
    storedBytes() {
      const pages = db.pragma('page_count', { simple: true }) as number;
      const free = db.pragma('freelist_count', { simple: true }) as number;
      const size = db.pragma('page_size', { simple: true }) as number;
      return (pages - free) * size;
    },
    probeWrite(now) {
      q.probe.run(now);
    },
    ping() {
      try {
        return db.prepare('SELECT 1 AS ok').get() !== undefined;
      } catch {
        return false;
      }
    },
    putBundle() {
      throw new MemtriageError(
        'MT_ERR_STORE_BUNDLES',
        'the SQLite store keeps bundles under the data dir, not in the database',
      );
    },
    getBundle: () => undefined,
    close: () => db.close(),
  };
}
