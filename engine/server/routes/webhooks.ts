import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { AlertInput, IncidentSource, RecordResult } from '../../store/types.js';
import { createAcceptBatcher } from '../accept-batcher.js';
import { alertmanagerPayload, genericPayload, issuePath } from '../alert-schemas.js';
import type { ServerDeps } from '../server-deps.js';
import { genericDedupKey, genericGroupKey, splitAlertmanagerGroup } from '../dedup-key.js';
import { sendError } from '../http-errors.js';
import { isStorageError } from '../../store/storage-error.js';

type Deps = ServerDeps & { now: () => number };

/** 422 naming the first few offending paths, e.g. `alerts[0].startsAt: expected string`. */
function badShape(reply: FastifyReply, source: IncidentSource, deps: Deps, error: z.ZodError): FastifyReply {
  deps.metrics.rejected.inc({ source, reason: 'bad_shape' });
  const issues = error.issues.slice(0, 10).map((i) => ({ path: issuePath(i.path), message: i.message }));
  const first = issues[0];
  const message = first ? `${first.path}: ${first.message}` : 'payload has the wrong shape';
  return sendError(reply, 'badShape', message, { path: first?.path, issues });
}

type RecordDeps = Deps & { record: (input: AlertInput) => Promise<RecordResult> };

/**
 * Records the inputs (handed to the batcher in the same turn, so they share its transaction), counts
 * them, and lets the pipeline run only after the answer: a 2xx means the incidents are durable (so
 * Alertmanager stops retrying and a crash loses nothing). When the store refuses, the 503 is sent
 * and returned instead of the results.
 */
async function recordAll(
  reply: FastifyReply,
  deps: RecordDeps,
  inputs: readonly Omit<AlertInput, 'now'>[],
): Promise<RecordResult[] | FastifyReply> {
  let results: RecordResult[];
  try {
    results = await Promise.all(inputs.map((input) => deps.record({ ...input, now: deps.now() })));
  } catch (err) {
    reply.log.error({ err }, 'store refused an incident');
    if (isStorageError(err)) deps.onStorageError?.(err);
    return sendError(reply, 'storeUnavailable', 'the incident store is unavailable; retry later');
  }
  results.forEach((r, i) =>
    deps.metrics.alertsReceived.inc({
      source: inputs[i]!.source,
      status: inputs[i]!.status,
      outcome: r.outcome,
    }),
  );
  setImmediate(() => {
    for (const { incident, outcome, alsoResolved = [] } of results) {
      deps.onAccepted(incident, outcome);
      for (const other of alsoResolved) deps.onAccepted(other, 'resolved');
    }
  });
  return results;
}

/** One alert, one incident: the answer names it. */
async function accept(
  reply: FastifyReply,
  deps: RecordDeps,
  input: Omit<AlertInput, 'now'>,
): Promise<FastifyReply> {
  const results = await recordAll(reply, deps, [input]);
  if (!Array.isArray(results)) return results;
  const { incident, outcome } = results[0]!;
  return reply.status(202).send({ incident: incident.id, outcome, status: incident.status });
}

/**
 * One Alertmanager notification is one incident per alert (instance), recorded in one commit. The
 * answer names the first alert's incident (as for a single alert) and lists every one.
 */
async function acceptGroup(
  reply: FastifyReply,
  deps: RecordDeps,
  inputs: readonly Omit<AlertInput, 'now'>[],
): Promise<FastifyReply> {
  const results = await recordAll(reply, deps, inputs);
  if (!Array.isArray(results)) return results;
  const first = results[0]!;
  return reply.status(202).send({
    incident: first.incident.id,
    outcome: first.outcome,
    status: first.incident.status,
    incidents: results.map((r) => ({ id: r.incident.id, outcome: r.outcome, status: r.incident.status })),
  });
}

export function registerWebhookRoutes(app: FastifyInstance, base: Deps): void {
  const deps = { ...base, record: createAcceptBatcher(base.store) };
  app.post('/webhook/alertmanager', async (req, reply) => {
    const parsed = alertmanagerPayload.safeParse(req.body);
    if (!parsed.success) return badShape(reply, 'alertmanager', deps, parsed.error);
    return acceptGroup(reply, deps, splitAlertmanagerGroup(parsed.data));
  });

  app.post('/webhook/generic', async (req, reply) => {
    const parsed = genericPayload.safeParse(req.body);
    if (!parsed.success) return badShape(reply, 'generic', deps, parsed.error);
    const p = parsed.data;
    const startsAt = p.alert.startsAt ?? new Date(deps.now()).toISOString();
    const payload = { ...p, alert: { ...p.alert, startsAt } };
    return accept(reply, deps, {
      source: 'generic',
      dedupKey: genericDedupKey(p, startsAt),
      groupKey: genericGroupKey(p),
      status: p.alert.status,
      payload,
    });
  });
}
