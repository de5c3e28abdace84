import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { MemtriageError } from '../errors.js';
import { PG_MIGRATION_LOCK, PG_MIGRATIONS, PG_SCHEMA_VERSION, PG_TABLES } from './pg-schema.js';
import type {
  AlertInput,
  DeliveryState,
  IncidentQuery,
  IncidentRecord,
  RecordOutcome,
  RecordResult,
  Store,
  ThreadRef,
} from './types.js';
import { LIST_COLUMNS, QUERY_COLUMNS } from './types.js';
import { toDelivery, toIncident, toSummary, type Row } from './store-rows.js';

/** What a transaction's statements run on: one connection, statements prepared by name. */
interface Db {
  query<R extends pg.QueryResultRow = Row>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

const statementNames = new Map<string, string>();
/**
 * A query sent as a named prepared statement: each connection parses and plans a statement once and
 * then only binds and executes it (the store's statements are a fixed set, plus one per combination
 * of list filters). The name is a hash of the text, so one name never stands for two statements.
 */
function prepared(sql: string, values: unknown[]): pg.QueryConfig<unknown[]> {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `mt_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return { name, text: sql, values };
}

export interface PgStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** How long to wait for a connection before the call fails as unavailable (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Server-side `statement_timeout` of every connection (default 30000 ms). */
  statementTimeoutMs?: number;
  /** How long `ping` waits for `SELECT 1` (default 2000 ms). */
  pingTimeoutMs?: number;
  /** Told about errors of idle connections (the pool drops such a connection and opens another when needed). */
  onIdleError?: (err: Error) => void;
}

/** The URL without its password (`postgres://user:***@host/db`), for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '57014', // query_canceled: statement_timeout
  '53100', // disk_full
  '53200', // out_of_memory
  '53300', // too_many_connections
  '58030', // io_error
  '25006', // read_only_sql_transaction (a standby, hot_standby)
]);
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection timeout|not queryable|Client was closed|terminating connection|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * Whether a driver error means the database cannot be reached or cannot take the work right now
 * (down, restarting, unreachable, out of disk, too many connections, statement timeout), as
 * opposed to a fault of the statement or the data. Such errors become MT_ERR_STORE_UNAVAILABLE,
 * which the server answers with 503 + Retry-After (engine/store/storage-error.ts).
 */
export function isPgUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (CONNECTION_CODES.has(code) || code.startsWith('08')) return true;
  if (err instanceof AggregateError) return err.errors.some(isPgUnavailable);
  return typeof e.message === 'string' && code === '' && CONNECTION_MESSAGES.test(e.message);
}

/** SQLSTATEs after which the transaction is run again: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);

/** JSON text as stored (undefined is stored as NULL). */
const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

/**
 * Escapes PostgreSQL's `json` cannot read in JSON.stringify's text: `\u0000` and lone surrogates.
 * An escaped backslash is matched first so `\\u0000` (a backslash, then "u0000") is left alone.
 */
const JSON_UNREADABLE = /\\(\\|u0000|ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}|ud[89a-f][0-9a-f]{2})/gi;

/** The `json` twin of stored JSON text, for the generated list columns (see pg-schema.ts). */
const doc = (text: string | null): string | null =>
  text === null
    ? null
    : text.replace(JSON_UNREADABLE, (m: string, g: string) => (g === '\\' || g.length > 5 ? m : '\\ufffd'));

/** The incident columns a record is read from (not the `json` twins nor the list columns). */
const INCIDENT = `id, seq, dedup_key, source, group_key, status, stage, payload, received_at, updated_at, resolved_at,
  repeats, bundle_dir, diagnosis, error, queued_status`;
/** An incident row without its diagnosis (incidentsInGroup). */
const GROUP_MEMBER = INCIDENT.replace('diagnosis,', 'NULL AS diagnosis,');

/** int8 (counts, BIGINT times, BIGSERIAL ids) and numeric (sums) as JS numbers: every value memtriage stores fits. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  },
};

/** Advisory-lock namespace (first key of the two-int form) of the dedup decision. */
const DEDUP_LOCK_NS = 0x6d74;

/** Applies the missing migrations under the migration lock; refuses a newer schema. */
async function migrate(client: pg.PoolClient, where: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [PG_MIGRATION_LOCK.toString()]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS memtriage_schema (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
    );
    const { rows } = await client.query<{ v: number | null }>(
      'SELECT max(version) AS v FROM memtriage_schema',
    );
    const version = rows[0]?.v ?? 0;
    if (version > PG_SCHEMA_VERSION) {
      throw new MemtriageError(
        'MT_ERR_STORE_VERSION',
        `${where}: schema version ${version} is newer than this memtriage understands (${PG_SCHEMA_VERSION})`,
      );
    }
    for (const m of PG_MIGRATIONS) {
      if (m.version <= version) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO memtriage_schema (version, applied_at) VALUES ($1, $2)', [
        m.version,
        Date.now(),
      ]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * The PostgreSQL store, for several replicas sharing one database (docs/postgresql.md). Same
 * semantics as the SQLite store (engine/store/sqlite-store.ts) method by method, with these
 * multi-writer differences: the dedup decision holds transaction-scoped advisory locks on the
 * dedup key and the group key, so concurrent notifications of one alert from several replicas
 * yield exactly one `new`; `claimDeliveries` leases rows with `FOR UPDATE SKIP LOCKED`, so no row
 * is handed to two replicas; `releaseInFlight` releases nothing (another replica may be sending
 * those rows; a dead replica's leases expire and the rows are claimed again). Bundles live in
 * the database (`sharedBundles`). A database that cannot be reached rejects with
 * MT_ERR_STORE_UNAVAILABLE; the pool reconnects by itself once it is back.
 */
export async function openPgStore(url: string, opts: PgStoreOptions = {}): Promise<Store> {
  const where = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    statement_timeout: opts.statementTimeoutMs ?? 30_000,
    idle_in_transaction_session_timeout: 60_000,
    application_name: 'memtriage',
    types,
  });
  // An idle connection whose server went away emits 'error' on the pool; unheard, it would crash
  // the process. The pool has already dropped that client and opens a new one when needed.
  pool.on('error', (err) => opts.onIdleError?.(err));
  // A checked-out connection that dies between two queries emits 'error' on the client itself.
  pool.on('connect', (client) => client.on('error', (err) => opts.onIdleError?.(err)));

  const unavailable = (err: unknown): unknown =>
    isPgUnavailable(err)
      ? new MemtriageError(
          'MT_ERR_STORE_UNAVAILABLE',
          `PostgreSQL store ${where} is unavailable: ${(err as Error).message || String(err)}`,
          { cause: err },
        )
      : err;

  const query = async (sql: string, params: unknown[] = []): Promise<pg.QueryResult<Row>> => {
    try {
      return await pool.query<Row>(prepared(sql, params));
    } catch (err) {
      throw unavailable(err);
    }
  };

  /** One transaction on one connection, run again on serialization failure or deadlock. */
  const tx = async <T>(fn: (db: Db) => Promise<T>, isolation = 'READ COMMITTED'): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw unavailable(err);
      }
      let broken: Error | undefined;
      try {
        await client.query(`BEGIN ISOLATION LEVEL ${isolation}`);
        const out = await fn({
          query: <R extends pg.QueryResultRow = Row>(sql: string, params: unknown[] = []) =>
            client.query<R>(prepared(sql, params)),
        });
        await client.query('COMMIT');
        return out;
      } catch (err) {
        if (isPgUnavailable(err)) broken = err as Error;
        else await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        const code = (err as { code?: string }).code;
        if (!(code && RETRYABLE.has(code) && attempt < 5)) throw unavailable(err);
      } finally {
        // A connection that failed is destroyed rather than handed out again.
        client.release(broken);
      }
      // serialization failure or deadlock: back off a little (jittered) and run it again
      await new Promise((r) => setTimeout(r, attempt * 10 * Math.random()));
    }
  };

  {
    let client: pg.PoolClient | undefined;
    try {
      client = await pool.connect();
      await migrate(client, where);
      client.release();
    } catch (err) {
      client?.release(err as Error);
      await pool.end().catch(() => undefined);
      throw unavailable(err);
    }
  }

  /** The dedup decision of one notification (SQLite's recordOne + closeGroup), under the locks taken by the caller. */
  const recordIn = async (db: Db, input: AlertInput): Promise<RecordResult> => {
    const payload = json(input.payload);
    for (;;) {
      let row = (
        await db.query<Row>(`SELECT ${INCIDENT} FROM incidents WHERE dedup_key = $1`, [input.dedupKey])
      ).rows[0];
      if (!row && input.status === 'resolved' && !input.exactKey) {
        // A resolve whose alert set changed (an alert left the group first) still closes the group's open incident.
        row = (
          await db.query<Row>(
            `SELECT ${INCIDENT} FROM incidents WHERE group_key = $1 AND status = 'firing' ORDER BY received_at DESC, seq DESC LIMIT 1`,
            [input.groupKey],
          )
        ).rows[0];
      }
      let result: { incident: IncidentRecord; outcome: RecordOutcome };
      if (!row) {
        const inserted = await db.query<Row>(
          `INSERT INTO incidents (id, dedup_key, source, group_key, status, stage, payload, payload_doc, received_at, updated_at, resolved_at)
           VALUES ($1, $2, $3, $4, $5, 'received', $6, $9, $7, $7, $8)
           ON CONFLICT (dedup_key) DO NOTHING RETURNING ${INCIDENT}`,
          [
            randomUUID(),
            input.dedupKey,
            input.source,
            input.groupKey,
            input.status,
            payload,
            input.now,
            input.status === 'resolved' ? input.now : null,
            doc(payload),
          ],
        );
        const created = inserted.rows[0];
        // Another writer inserted this key since we looked (only without the lock): decide again.
        if (!created) continue;
        result = {
          incident: toIncident(created),
          outcome: input.status === 'resolved' ? 'resolved-unknown' : 'new',
        };
      } else {
        const id = row.id as string;
        if (row.status === 'firing' && input.status === 'resolved') {
          const r = await db.query<Row>(
            `UPDATE incidents SET status = 'resolved', resolved_at = $2, updated_at = $2, payload = $3, payload_doc = $4
             WHERE id = $1 RETURNING ${INCIDENT}`,
            [id, input.now, payload, doc(payload)],
          );
          result = { incident: toIncident(r.rows[0] as Row), outcome: 'resolved' };
        } else {
          const r = await db.query<Row>(
            `UPDATE incidents SET repeats = repeats + 1, updated_at = $2 WHERE id = $1 RETURNING ${INCIDENT}`,
            [id, input.now],
          );
          result = { incident: toIncident(r.rows[0] as Row), outcome: 'repeat' };
        }
      }
      if (input.status !== 'resolved' || !input.resolvesGroup) return result;
      // A group resolve (Alertmanager: every alert of the group resolved) closes the group's other open incidents too.
      const closed = await db.query<Row>(
        `UPDATE incidents SET status = 'resolved', resolved_at = $3, updated_at = $3
         WHERE group_key = $1 AND status = 'firing' AND id <> $2 RETURNING ${INCIDENT}`,
        [input.groupKey, result.incident.id, input.now],
      );
      if (closed.rows.length === 0) return result;
      const alsoResolved = closed.rows.map(toIncident).sort((a, b) => a.receivedAt - b.receivedAt);
      return { ...result, alsoResolved };
    }
  };

  /**
   * Serializes every decision touching these notifications' keys and groups across replicas:
   * transaction-scoped advisory locks, taken in one sorted order so two batches never deadlock.
   */
  const lockFor = async (db: Db, inputs: readonly AlertInput[]): Promise<void> => {
    const keys = [...new Set(inputs.flatMap((i) => [`k:${i.dedupKey}`, `g:${i.groupKey}`]))];
    await db.query(
      `SELECT pg_advisory_xact_lock($1, h)
       FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($2::text[]) k ORDER BY h OFFSET 0) x`,
      [DEDUP_LOCK_NS, keys],
    );
  };

  const recordBatch = (inputs: readonly AlertInput[]): Promise<RecordResult[]> =>
    tx(async (db) => {
      await lockFor(db, inputs);
      const out: RecordResult[] = [];
      for (const input of inputs) out.push(await recordIn(db, input));
      return out;
    });

  const columns: Record<string, string> = {
    stage: 'stage',
    bundleDir: 'bundle_dir',
    diagnosis: 'diagnosis',
    error: 'error',
  };

  /** WHERE clause of the list filters; every one of them is an indexed column. */
  const filter = (f: IncidentQuery, params: unknown[]): string => {
    const parts: string[] = [];
    for (const [key, col] of Object.entries(QUERY_COLUMNS) as [keyof IncidentQuery, string][]) {
      const v = f[key];
      if (!v) continue;
      params.push(v);
      parts.push(`${col} = $${params.length}`);
    }
    return parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '';
  };

  let closed: Promise<void> | undefined;

  const store: Store = {
    sharedBundles: true,
    async recordAlert(input) {
      const [r] = await recordBatch([input]);
      return r as RecordResult;
    },
    recordAlerts: (inputs) => (inputs.length === 0 ? Promise.resolve([]) : recordBatch(inputs)),
    async getIncident(id) {
      const r = (await query(`SELECT ${INCIDENT} FROM incidents WHERE id = $1`, [id])).rows[0];
      return r ? toIncident(r) : undefined;
    },
    async unfinishedIncidents() {
      const r = await query(
        `SELECT * FROM (
           SELECT ${INCIDENT} FROM incidents WHERE stage IN ('received', 'acquired', 'diagnosed')
           UNION ALL
           SELECT ${INCIDENT} FROM incidents
           WHERE stage = 'queued' AND status = 'resolved' AND queued_status IS DISTINCT FROM 'resolved'
         ) u ORDER BY received_at, seq`,
      );
      return r.rows.map(toIncident);
    },
    async listIncidents(limit) {
      const r = await query(
        `SELECT ${INCIDENT} FROM incidents ORDER BY received_at DESC, seq DESC LIMIT $1`,
        [limit],
      );
      return r.rows.map(toIncident);
    },
    async updateIncident(id, patch, now) {
      const keys = Object.keys(patch).filter((k) => k in columns);
      if (keys.length === 0) return;
      const params: unknown[] = [id, now];
      const sets = keys.map((k) => {
        const v = (patch as Record<string, unknown>)[k];
        if (k !== 'diagnosis') {
          params.push(v ?? null);
          return `${columns[k]} = $${params.length}`;
        }
        const text = json(v);
        params.push(text, doc(text));
        return `diagnosis = $${params.length - 1}, diagnosis_doc = $${params.length}`;
      });
      await query(`UPDATE incidents SET ${sets.join(', ')}, updated_at = $2 WHERE id = $1`, params);
    },
    enqueueDeliveries: (incidentId, items, now, status) =>
      tx(async (db) => {
        for (const it of items) {
          await db.query(
            `INSERT INTO outbox (incident_id, channel, kind, payload, state, next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, 'pending', $5, $5)
             ON CONFLICT (incident_id, channel, kind) DO NOTHING`,
            [it.incidentId, it.channel, it.kind, json(it.payload), now],
          );
        }
        await db.query(
          "UPDATE incidents SET stage = 'queued', queued_status = COALESCE($3, status), updated_at = $2 WHERE id = $1",
          [incidentId, now, status ?? null],
        );
      }),
    async claimDeliveries(now, limit, leaseMs) {
      // One statement: the due rows are locked as they are picked, and rows another replica is
      // claiming right now are skipped, never waited for nor handed out twice.
      const r = await query(
        `WITH due AS (
           SELECT id FROM outbox
           WHERE (state = 'pending' AND next_attempt_at <= $1) OR (state = 'sending' AND lease_until <= $1)
           ORDER BY next_attempt_at, id LIMIT $2
           FOR UPDATE SKIP LOCKED)
         UPDATE outbox o SET state = 'sending', lease_until = $3, attempts = o.attempts + 1
         FROM due WHERE o.id = due.id
         RETURNING o.*`,
        [now, limit, now + leaseMs],
      );
      return r.rows.map(toDelivery).sort((a, b) => a.id - b.id);
    },
    async getDelivery(id) {
      const r = (await query('SELECT * FROM outbox WHERE id = $1', [id])).rows[0];
      return r ? toDelivery(r) : undefined;
    },
    async deliveriesFor(incidentId) {
      return (await query('SELECT * FROM outbox WHERE incident_id = $1 ORDER BY id', [incidentId])).rows.map(
        toDelivery,
      );
    },
    markDelivered: (id, now, thread) =>
      tx(async (db) => {
        const r = await db.query<Row>(
          `UPDATE outbox SET state = 'delivered', delivered_at = $2, lease_until = NULL, last_error = NULL
           WHERE id = $1 RETURNING incident_id, channel`,
          [id, now],
        );
        const row = r.rows[0];
        if (thread && row) {
          await db.query(
            'INSERT INTO threads (incident_id, channel, ref) VALUES ($1, $2, $3) ON CONFLICT (incident_id, channel) DO NOTHING',
            [row.incident_id, row.channel, json(thread)],
          );
        }
      }),
    async markRetry(id, at, error, reason, countAttempt = true, failedAt = Date.now()) {
      await query(
        `UPDATE outbox SET state = 'pending', lease_until = NULL, next_attempt_at = $2, last_error = $3,
         last_reason = $4, attempts = attempts - $5,
         failing_since = CASE WHEN $5 = 0 THEN COALESCE(failing_since, $6) ELSE failing_since END
         WHERE id = $1`,
        [id, at, error, reason, countAttempt ? 0 : 1, failedAt],
      );
    },
    async markDead(id, error, reason) {
      await query(
        "UPDATE outbox SET state = 'dead', lease_until = NULL, last_error = $2, last_reason = $3 WHERE id = $1",
        [id, error, reason],
      );
    },
    async listDeliveries(f = {}) {
      const limit = f.limit ?? 100;
      const r = f.state
        ? await query('SELECT * FROM outbox WHERE state = $1 ORDER BY id DESC LIMIT $2', [f.state, limit])
        : await query('SELECT * FROM outbox ORDER BY id DESC LIMIT $1', [limit]);
      return r.rows.map(toDelivery);
    },
    async retryDeliveries(id, now = Date.now()) {
      const r =
        id === undefined
          ? await query(
              "UPDATE outbox SET state = 'pending', attempts = 0, failing_since = NULL, next_attempt_at = $1, lease_until = NULL WHERE state = 'dead'",
              [now],
            )
          : await query(
              "UPDATE outbox SET state = 'pending', attempts = 0, failing_since = NULL, next_attempt_at = $1, lease_until = NULL WHERE id = $2 AND state IN ('dead', 'pending')",
              [now, id],
            );
      return r.rowCount ?? 0;
    },
    // Several replicas share the outbox: a `sending` row may be another live replica's. Nothing is
    // released; a dead replica's rows are claimed again when their lease expires.
    releaseInFlight: () => Promise.resolve(0),
    async countByState(only) {
      const out: Record<DeliveryState, number> = { pending: 0, sending: 0, delivered: 0, dead: 0 };
      const r = only
        ? await query(
            'SELECT state, COUNT(*) AS n FROM outbox WHERE state = ANY($1::text[]) GROUP BY state',
            [[...only]],
          )
        : await query('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state');
      for (const row of r.rows) out[row.state as DeliveryState] = row.n as number;
      return out;
    },
    async getThread(incidentId, channel) {
      const r = (
        await query('SELECT ref FROM threads WHERE incident_id = $1 AND channel = $2', [incidentId, channel])
      ).rows[0];
      return r ? (JSON.parse(r.ref as string) as ThreadRef) : undefined;
    },
    async listIncidentSummaries(q, limit, offset) {
      const params: unknown[] = [];
      const w = filter(q, params);
      params.push(limit, offset);
      const r = await query(
        `SELECT id, received_at, status, stage, service, top_cause, list_severity, alert_name, instance,
                alert_summary, alert_starts_at FROM incidents ${w}
         ORDER BY received_at DESC, seq DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      );
      return r.rows.map(toSummary);
    },
    async countIncidents(q) {
      const params: unknown[] = [];
      const w = filter(q, params);
      return (await query(`SELECT COUNT(*) AS n FROM incidents ${w}`, params)).rows[0]?.n as number;
    },
    async incidentsInGroup(groupKey, limit) {
      const r = await query(
        // Without the diagnosis (see the interface): the group's links need only who and when.
        `SELECT ${GROUP_MEMBER} FROM incidents WHERE group_key = $1 ORDER BY received_at DESC, seq DESC LIMIT $2`,
        [groupKey, limit],
      );
      return r.rows.map(toIncident);
    },
    async distinctIncidentValues(column, limit) {
      const col = LIST_COLUMNS[column];
      // Byte order, as SQLite sorts (the database's collation may differ).
      const r = await query(
        `SELECT DISTINCT ${col} COLLATE "C" AS v FROM incidents WHERE ${col} IS NOT NULL AND ${col} <> '' ORDER BY v LIMIT $1`,
        [limit],
      );
      return r.rows.flatMap((row) => (typeof row.v === 'string' ? [row.v] : []));
    },
    async lastFiredByRule() {
      // Top causes over every incident through the index; the other causes over the most recent
      // incidents only, so the page never reads the whole history.
      const r = await query(
        `SELECT top_cause AS rule, MAX(received_at) AS at FROM incidents WHERE top_cause IS NOT NULL GROUP BY top_cause
         UNION ALL
         SELECT c ->> 'ruleId' AS rule, MAX(i.received_at) AS at
         FROM (SELECT received_at, diagnosis_doc AS d FROM incidents WHERE diagnosis_doc IS NOT NULL
               ORDER BY received_at DESC LIMIT 500) i,
              json_array_elements(CASE WHEN json_typeof(i.d -> 'causes') = 'array'
                                       THEN i.d -> 'causes' ELSE '[]'::json END) c
         GROUP BY 1`,
      );
      const out = new Map<string, number>();
      for (const row of r.rows) {
        const rule = row.rule;
        const at = row.at as number;
        if (typeof rule === 'string' && at > (out.get(rule) ?? -Infinity)) out.set(rule, at);
      }
      return out;
    },
    async rememberSignature(sig, expiresAt, now) {
      // One statement: insert, or take over an expired entry; an unexpired one (a replay, even
      // one recorded by another replica a moment ago) is left alone and answers no row.
      const r = await query(
        `WITH expired AS (DELETE FROM hmac_replay WHERE expires_at <= $3 AND signature <> $1)
         INSERT INTO hmac_replay (signature, expires_at) VALUES ($1, $2)
         ON CONFLICT (signature) DO UPDATE SET expires_at = excluded.expires_at
         WHERE hmac_replay.expires_at <= $3
         RETURNING 1`,
        [sig, expiresAt, now],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async prunableIncidents(before, limit) {
      const r = await query(
        `SELECT id, received_at, bundle_dir FROM incidents i
         WHERE received_at < $1 AND stage IN ('queued', 'failed')
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.incident_id = i.id AND o.state <> 'delivered')
         ORDER BY received_at, seq LIMIT $2`,
        [before, limit],
      );
      return r.rows.map((row) => ({
        id: row.id as string,
        receivedAt: row.received_at as number,
        ...(typeof row.bundle_dir === 'string' ? { bundleDir: row.bundle_dir } : {}),
      }));
    },
    deleteIncidents: (ids) =>
      ids.length === 0
        ? Promise.resolve(0)
        : tx(async (db) => {
            // Lock the incidents that are still finished; a delivery queued meanwhile keeps its incident.
            const gone = (
              await db.query<Row>(
                `SELECT id FROM incidents i WHERE id = ANY($1::text[])
                   AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.incident_id = i.id AND o.state <> 'delivered')
                 FOR UPDATE`,
                [[...ids]],
              )
            ).rows.map((r) => r.id as string);
            if (gone.length === 0) return 0;
            await db.query("DELETE FROM outbox WHERE incident_id = ANY($1::text[]) AND state = 'delivered'", [
              gone,
            ]);
            await db.query('DELETE FROM threads WHERE incident_id = ANY($1::text[])', [gone]);
            // bundles go with their incident (ON DELETE CASCADE)
            const d = await db.query(
              `DELETE FROM incidents i WHERE id = ANY($1::text[])
                 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.incident_id = i.id)`,
              [gone],
            );
            return d.rowCount ?? 0;
          }),
    async storedBytes() {
      const r = await query(
        `SELECT COALESCE(SUM(pg_total_relation_size(to_regclass(t))), 0)::bigint AS n FROM unnest($1::text[]) t`,
        [PG_TABLES],
      );
      return r.rows[0]?.n as number;
    },
    async probeWrite(now) {
      await query(
        'INSERT INTO health (id, probed_at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at',
        [now],
      );
    },
    async putBundle(incidentId, archive, now) {
      await query(
        `INSERT INTO bundles (incident_id, archive, bytes, stored_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (incident_id) DO UPDATE SET archive = excluded.archive, bytes = excluded.bytes, stored_at = excluded.stored_at`,
        [
          incidentId,
          Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength),
          archive.byteLength,
          now,
        ],
      );
    },
    async getBundle(incidentId) {
      const r = (await query('SELECT archive FROM bundles WHERE incident_id = $1', [incidentId])).rows[0];
      if (!r) return undefined;
      const b = r.archive as Buffer;
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
    async ping() {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), opts.pingTimeoutMs ?? 2000);
        });
        const probe = pool.query('SELECT 1 AS ok').then(
          (r) => r.rows.length === 1,
          () => false,
        );
        return await Promise.race([probe, timeout]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
  return store;
}
