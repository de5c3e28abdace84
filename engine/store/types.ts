/**
 * The store behind the server: incidents (with their dedup key), the delivery outbox and the
 * per-channel thread references (Slack `ts`, email Message-ID). It is one small interface so a
 * PostgreSQL implementation can be added for several replicas (docs/architecture.md, "Beyond one machine"):
 * `recordAlert` maps to a unique index on `dedup_key` with `INSERT … ON CONFLICT`, and
 * `claimDeliveries` to `SELECT … FOR UPDATE SKIP LOCKED`. The pipeline only sees this interface.
 */
import type { Diagnosis } from '../diagnose/types.js';

export type IncidentSource = 'alertmanager' | 'generic';
export type AlertStatus = 'firing' | 'resolved';

/**
 * How far the pipeline got. Each stage is durable, so a restart resumes at the next one:
 * received → acquired (bundle on disk) → diagnosed → queued (outbox rows written). `failed` is
 * terminal for an incident whose pipeline threw a coded error (kept for `outbox list`/backtests).
 */
export type IncidentStage = 'received' | 'acquired' | 'diagnosed' | 'queued' | 'failed';

export interface IncidentRecord {
  id: string;
  dedupKey: string;
  source: IncidentSource;
  groupKey: string;
  status: AlertStatus;
  stage: IncidentStage;
  /** The webhook body as accepted (Alertmanager v4 payload or generic alert). */
  payload: unknown;
  receivedAt: number;
  updatedAt: number;
  resolvedAt?: number;
  /** How many identical notifications arrived after the first (Alertmanager re-sends groups). */
  repeats: number;
  bundleDir?: string;
  diagnosis?: Diagnosis;
  error?: string;
  /**
   * The status whose deliveries are queued (set with stage `queued`). A `resolved` incident whose
   * queued status is still `firing` is behind: its resolve follow-ups are not in the outbox yet.
   */
  queuedStatus?: AlertStatus;
}

/** What one webhook notification did to the store. */
export type RecordOutcome =
  /** A new incident: run the pipeline. */
  | 'new'
  /** Same incident, same status: nothing to send. */
  | 'repeat'
  /** A firing incident is now resolved: send the resolve follow-ups. */
  | 'resolved'
  /**
   * A resolve for an incident memtriage never saw firing (Alertmanager delivered the resolve first,
   * or the firing never reached us): the pipeline runs at once and sends one "fired and resolved"
   * runbook (the open step and its resolve steps together). The firing that may follow is a repeat.
   */
  | 'resolved-unknown';

export interface AlertInput {
  dedupKey: string;
  source: IncidentSource;
  groupKey: string;
  status: AlertStatus;
  payload: unknown;
  now: number;
  /**
   * The notification resolves its whole group (Alertmanager: the group's status is `resolved`
   * only when every alert in it is), so older incidents of the same group close too.
   */
  resolvesGroup?: boolean;
  /**
   * The dedup key names one alert exactly (Alertmanager, per alert): a resolve that finds no
   * incident under it is one memtriage never saw firing, never another alert's incident of the group.
   */
  exactKey?: boolean;
}

export interface RecordResult {
  incident: IncidentRecord;
  outcome: RecordOutcome;
  /** Other open incidents of the group that this resolve closed (each needs its resolve follow-ups). */
  alsoResolved?: IncidentRecord[];
}

/**
 * Delivery steps. Each is one outbox row, so a failed step never re-sends an earlier one: on Slack
 * an incident is `open` (the first message), `open-thread` (continuations that did not fit in it),
 * and on resolve `resolve` (a thread reply) then `resolve-update` (chat.update of the first message).
 */
export type DeliveryKind = 'open' | 'open-thread' | 'resolve' | 'resolve-update';
export type DeliveryState = 'pending' | 'sending' | 'delivered' | 'dead';

export interface DeliveryRecord {
  id: number;
  incidentId: string;
  channel: string;
  kind: DeliveryKind;
  /** The channel-formatted message (rendered once when queued, so retries send the same bytes). */
  payload: unknown;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: number;
  leaseUntil?: number;
  lastError?: string;
  lastReason?: string;
  createdAt: number;
  deliveredAt?: number;
  /** When the current run of failed attempts began (the retry budget counts from it); absent before a failure. */
  failingSince?: number;
}

export interface NewDelivery {
  incidentId: string;
  channel: string;
  kind: DeliveryKind;
  payload: unknown;
}

/** Where a channel put the first message of an incident, so follow-ups thread onto it. */
export type ThreadRef = Record<string, string>;

/** What the incident list shows of one incident: a few indexed columns, no JSON to parse. */
export interface IncidentSummary {
  id: string;
  receivedAt: number;
  status: AlertStatus;
  stage: IncidentStage;
  service?: string;
  /** Top cause's rule id, or the outcome (healthy, inconclusive) when no rule fired. */
  topCause?: string;
  /** The diagnosis's severity, else the alert's `severity` label. */
  severity?: string;
  /** The alert's name (Alertmanager `alertname`, generic `alert.name`). */
  alertName?: string;
  /** The alert's `pod` label, else its `instance`. */
  instance?: string;
  /** The alert's summary annotation (else its description), at most 300 characters. */
  summary?: string;
  /** The alert's `startsAt` as sent (an ISO time, unchecked). */
  alertStartsAt?: string;
}

export interface IncidentQuery {
  /** The alert's name (`alertname`). */
  alert?: string;
  service?: string;
  /** The alert's `pod` label, else its `instance`. */
  instance?: string;
  cause?: string;
  status?: string;
  severity?: string;
}

/** The list columns that have a filter menu. */
export type IncidentListColumn = 'alert' | 'service' | 'instance' | 'cause' | 'severity';

/** The stored column behind each filter menu (the same name in SQLite and PostgreSQL). */
export const LIST_COLUMNS: Readonly<Record<IncidentListColumn, string>> = {
  alert: 'alert_name',
  service: 'service',
  instance: 'instance',
  cause: 'top_cause',
  severity: 'list_severity',
};

/** The stored column each list filter compares with (bound parameters, indexed columns). */
export const QUERY_COLUMNS: Readonly<Record<keyof IncidentQuery, string>> = {
  ...LIST_COLUMNS,
  status: 'status',
};

/** An incident retention may delete: finished, with every delivery delivered. */
export interface PrunableIncident {
  id: string;
  receivedAt: number;
  bundleDir?: string;
}

export interface Store {
  /** Inserts or updates the incident for one notification, atomically (the dedup decision). */
  recordAlert(input: AlertInput): Promise<RecordResult>;
  /**
   * Several notifications in one durable commit (group commit): one fsync for the batch instead of
   * one per webhook. All or nothing: if it throws, none was recorded.
   */
  recordAlerts(inputs: readonly AlertInput[]): Promise<RecordResult[]>;
  getIncident(id: string): Promise<IncidentRecord | undefined>;
  /**
   * Incidents whose pipeline is behind (restart recovery), oldest first, found by index however
   * old: not yet queued, or resolved while only their firing deliveries are queued.
   */
  unfinishedIncidents(): Promise<IncidentRecord[]>;
  listIncidents(limit: number): Promise<IncidentRecord[]>;
  updateIncident(
    id: string,
    patch: Partial<Pick<IncidentRecord, 'stage' | 'bundleDir' | 'diagnosis' | 'error'>>,
    now: number,
  ): Promise<void>;
  /**
   * Queues deliveries and moves the incident to `queued` in one transaction. A delivery that
   * already exists for (incident, channel, kind) is left alone, so re-running after a crash
   * never queues a message twice. `status` is the alert status the items were rendered for
   * (default: the incident's current status); it becomes the incident's `queuedStatus`.
   */
  enqueueDeliveries(
    incidentId: string,
    items: readonly NewDelivery[],
    now: number,
    status?: AlertStatus,
  ): Promise<void>;
  /** Leases up to `limit` due deliveries (pending and due, or sending with an expired lease). */
  claimDeliveries(now: number, limit: number, leaseMs: number): Promise<DeliveryRecord[]>;
  getDelivery(id: number): Promise<DeliveryRecord | undefined>;
  deliveriesFor(incidentId: string): Promise<DeliveryRecord[]>;
  /** Success: the delivery and the thread it opened are recorded together. */
  markDelivered(id: number, now: number, thread?: ThreadRef): Promise<void>;
  /**
   * A failed attempt to retry at `nextAttemptAt`. `countAttempt: false` defers without using one.
   * A counted failure at `failedAt` starts the delivery's `failingSince` if it is not set.
   */
  markRetry(
    id: number,
    nextAttemptAt: number,
    error: string,
    reason: string,
    countAttempt?: boolean,
    failedAt?: number,
  ): Promise<void>;
  markDead(id: number, error: string, reason: string): Promise<void>;
  listDeliveries(filter?: { state?: DeliveryState; limit?: number }): Promise<DeliveryRecord[]>;
  /** Dead (or one given) deliveries back to pending with a fresh attempt and time budget. Returns how many. */
  retryDeliveries(id?: number, now?: number): Promise<number>;
  /** After a crash: every `sending` row goes back to pending (single-writer stores only). */
  releaseInFlight(): Promise<number>;
  /**
   * Outbox rows by state. With `only`, just those states are counted (the rest read 0): the worker
   * asks for the undelivered ones, an index range that stays small however many were delivered.
   */
  countByState(only?: readonly DeliveryState[]): Promise<Record<DeliveryState, number>>;
  getThread(incidentId: string, channel: string): Promise<ThreadRef | undefined>;
  /** A page of incidents, newest first, filtered in the store. */
  listIncidentSummaries(query: IncidentQuery, limit: number, offset: number): Promise<IncidentSummary[]>;
  countIncidents(query: IncidentQuery): Promise<number>;
  /**
   * Incidents of one group (Alertmanager groupKey), newest first: the other instances of an alert.
   * Without their diagnosis: the runbook's group links need only who and when, and reading a
   * large group's diagnoses on every render would cost more than the render.
   */
  incidentsInGroup(groupKey: string, limit: number): Promise<IncidentRecord[]>;
  /** Distinct non-empty values of a list column, sorted (for the filter menus). */
  distinctIncidentValues(column: IncidentListColumn, limit: number): Promise<string[]>;
  /** Rule id → when it last was the top cause of a stored incident, or any cause of a recent one. */
  lastFiredByRule(): Promise<Map<string, number>>;
  /**
   * HMAC replay cache: records a signature until `expiresAt`. False when it is already recorded
   * and unexpired (a replay). Expired entries are dropped; unexpired ones never are.
   */
  rememberSignature(signature: string, expiresAt: number, now: number): Promise<boolean>;
  /** Oldest first: finished incidents (every delivery delivered) received before `before`. */
  prunableIncidents(before: number, limit: number): Promise<PrunableIncident[]>;
  /** Deletes incidents with their delivered outbox rows and thread refs. Returns how many. */
  deleteIncidents(ids: readonly string[]): Promise<number>;
  /** Bytes the database holds (pages in use, free pages excluded). */
  storedBytes(): Promise<number>;
  /** A small committed write: throws (SQLITE_FULL, …) while the disk cannot take one. */
  probeWrite(now: number): Promise<void>;
  /**
   * Whether incident bundles live in the store itself (PostgreSQL: replicas share no disk) rather
   * than only under the local data dir (SQLite). When true the pipeline stores each bundle with
   * {@link Store.putBundle} and any replica reads it back with {@link Store.getBundle}.
   */
  readonly sharedBundles: boolean;
  /** Stores an incident's bundle (a tar.gz of its directory), replacing an earlier one. Shared stores only. */
  putBundle(incidentId: string, archive: Uint8Array, now: number): Promise<void>;
  /** The stored bundle archive (shared stores; a local store answers undefined). */
  getBundle(incidentId: string): Promise<Uint8Array | undefined>;
  /** Cheap liveness check for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
