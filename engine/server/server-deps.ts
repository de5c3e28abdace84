import type { FastifyBaseLogger } from 'fastify';
import type { ServerConfig } from '../config/types.js';
import type { IncidentRecord, RecordOutcome, Store } from '../store/types.js';
import type { ServerMetrics } from './metrics.js';
import type { WebDeps } from './web/register-web-routes.js';

/**
 * What `buildServer` and its route modules (routes/ops.ts, routes/webhooks.ts) are given. A module
 * of its own so that the routes need not import build-server.ts, which imports them.
 */
export interface ServerDeps {
  config: ServerConfig;
  store: Store;
  metrics: ServerMetrics;
  /** pino logger; `false` for none (tests). */
  logger?: FastifyBaseLogger | false;
  now?: () => number;
  /** Called once an incident is durably recorded, after which the webhook answers; the pipeline runs from here. */
  onAccepted: (incident: IncidentRecord, outcome: RecordOutcome) => void;
  /** Extra readiness (rules loaded, worker running). */
  ready?: () => { ok: boolean; reason?: string };
  /** The web pages under `/` (incident list, incident page, rules); absent in webhook-only tests. */
  web?: Omit<WebDeps, 'store' | 'auth'>;
  /** A request failed on the disk (full, I/O error): readiness goes down until a write succeeds. */
  onStorageError?: (err: unknown) => void;
}
