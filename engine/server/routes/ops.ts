import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../server-deps.js';

/** /healthz (the process answers), /readyz (store and pipeline usable), /metrics (Prometheus text). */
export function registerOpsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    if (!(await deps.store.ping()))
      return reply.status(503).send({ status: 'unready', reason: 'store unavailable' });
    const extra = deps.ready?.() ?? { ok: true };
    if (!extra.ok) return reply.status(503).send({ status: 'unready', reason: extra.reason ?? 'not ready' });
    return { status: 'ready' };
  });

  app.get('/metrics', async (_req, reply) => {
    try {
      const counts = await deps.store.countByState();
      for (const [state, n] of Object.entries(counts)) deps.metrics.outboxDepth.set({ state }, n);
    } catch {
      // The store is down: the other series still tell (memtriage_storage_ready is 0).
    }
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
