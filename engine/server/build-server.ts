import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { InputError } from '../errors.js';
import { isStorageError } from '../store/storage-error.js';
import { authNone, authRequired, browsersCanSignIn, checkCredentials, verifyHmac } from './auth.js';
import { createHostCheck, isLoopback } from './host-check.js';
import { kindOfFastifyError, sendError } from './http-errors.js';
import { registerOpsRoutes } from './routes/ops.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { registerWebRoutes } from './web/register-web-routes.js';
import type { ServerDeps } from './server-deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
  }
}

export type { ServerDeps } from './server-deps.js';

/** A JSON body parser that keeps the raw bytes (for HMAC) and answers 400 instead of throwing. */
function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  // A "__proto__" key would become the object's prototype in naive merges; drop it, as secure-json-parse does.
  return text.includes('__proto__')
    ? (JSON.parse(text, (k, v: unknown) => (k === '__proto__' ? undefined : v)) as unknown)
    : (JSON.parse(text) as unknown);
}

/**
 * The HTTP app: webhooks, health, readiness and metrics. It never listens — `startServer` does,
 * tests call `app.inject()` (fastify/fastify docs/Guides/Testing.md). Every client mistake is
 * a 4xx with a JSON body; the error handler turns anything unexpected into a logged 500, never
 * a crash.
 */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const { server } = deps.config;
  if (authNone(deps.config.auth) && !isLoopback(server.host)) {
    throw new InputError(
      'MT_ERR_CONFIG_OPEN_PAGES',
      `refusing to serve incidents and webhooks without auth on ${server.host}: configure auth (bearerTokens, basic, or hmac with auth.web) or listen on 127.0.0.1`,
    );
  }
  const app = Fastify({
    logger: deps.logger === undefined || deps.logger === false ? false : undefined,
    ...(deps.logger ? { loggerInstance: deps.logger } : {}),
    bodyLimit: server.bodyLimitBytes,
    // A body dribbled a byte at a time, or headers that never end, are cut off: Node checks these
    // deadlines every connectionsCheckingInterval.
    requestTimeout: server.requestTimeoutMs,
    http: {
      headersTimeout: Math.min(server.headersTimeoutMs, server.requestTimeoutMs),
      connectionsCheckingInterval: Math.min(1000, server.headersTimeoutMs),
    },
  });
  const now = deps.now ?? Date.now;
  const storageFailed = (err: unknown) => {
    if (isStorageError(err)) deps.onStorageError?.(err);
  };

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const buf = body as Buffer;
    req.rawBody = buf;
    try {
      done(null, parseJson(buf));
    } catch (err) {
      const e = new Error(`body is not valid JSON: ${(err as Error).message}`) as Error & {
        statusCode: number;
        code: string;
      };
      e.statusCode = 400;
      e.code = 'MT_ERR_HTTP_BAD_JSON';
      done(e, undefined);
    }
  });

  const { auth } = deps.config;
  // Decide by the route that matched, never by the raw URL: `/%77ebhook/alertmanager` routes to the
  // webhook too (the router decodes), and a prefix test on req.url would let it through unauthenticated.
  const isWebhook = (req: { routeOptions: { url?: string } }) =>
    req.routeOptions.url?.startsWith('/webhook/') === true;
  /** A bounded metric label (never the raw URL: that would let any client mint label values). */
  const sourceOf = (req: { routeOptions: { url?: string } }) =>
    req.routeOptions.url === '/webhook/alertmanager'
      ? 'alertmanager'
      : req.routeOptions.url === '/webhook/generic'
        ? 'generic'
        : 'other';
  // DNS rebinding: a page on evil.example whose name now resolves to this server must not reach it.
  const hostOk = createHostCheck(deps.config);
  const probes = new Set(['/healthz', '/readyz', '/metrics']);
  app.addHook('onRequest', async (req, reply) => {
    if (probes.has(req.routeOptions.url ?? '') || hostOk(req.headers.host)) return;
    return reply.status(421).send({
      error: {
        code: 'MT_ERR_HTTP_MISDIRECTED',
        message:
          'this server does not answer for that Host; add it to server.allowedHosts or server.externalUrl',
      },
    });
  });
  // Bodies read before any credential was checked (no auth, or HMAC which needs the body) are
  // capped in number: stalled uploads cannot pile up memory.
  const bodiesBeforeAuth = !authRequired(auth);
  let unauthenticated = 0;
  app.addHook('onRequest', async (req, reply) => {
    if (!isWebhook(req)) return;
    const r = checkCredentials(auth, req.headers.authorization);
    if (!r.ok) {
      deps.metrics.rejected.inc({ source: sourceOf(req), reason: 'unauthorized' });
      return sendError(reply, 'unauthorized', r.message);
    }
    if (!bodiesBeforeAuth) return;
    if (unauthenticated >= server.maxUnauthenticatedBodies) {
      deps.metrics.rejected.inc({ source: sourceOf(req), reason: 'busy' });
      return sendError(reply, 'busy', 'too many requests in progress; retry later');
    }
    unauthenticated++;
    let held = true;
    const release = () => {
      if (held) unauthenticated--;
      held = false;
    };
    releases.set(req, release);
    reply.raw.once('close', release);
  });
  const releases = new WeakMap<object, () => void>();
  const releaseOf = async (req: object) => releases.get(req)?.();
  app.addHook('onResponse', releaseOf);
  app.addHook('onRequestAbort', releaseOf);
  if (auth.hmac) {
    const hmac = auth.hmac;
    app.addHook('preHandler', async (req, reply) => {
      if (!isWebhook(req)) return;
      let r;
      try {
        r = await verifyHmac(hmac, req.headers, req.rawBody ?? Buffer.alloc(0), now(), (sig, expiresAt, at) =>
          deps.store.rememberSignature(sig, expiresAt, at),
        );
      } catch (err) {
        req.log.error({ err }, 'replay cache unavailable');
        storageFailed(err);
        return sendError(reply, 'storeUnavailable', 'the incident store is unavailable; retry later');
      }
      if (!r.ok) {
        deps.metrics.rejected.inc({ source: sourceOf(req), reason: 'unauthorized' });
        return sendError(reply, 'unauthorized', r.message);
      }
    });
  }

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode ?? 500;
    const kind = kindOfFastifyError(err.code, status);
    if (kind) {
      deps.metrics.rejected.inc({ source: sourceOf(req), reason: kind });
      return sendError(reply, kind, err.message);
    }
    if (isStorageError(err)) {
      req.log.error({ err }, 'storage unavailable while handling a request');
      storageFailed(err);
      return sendError(reply, 'storeUnavailable', 'the incident store is unavailable; retry later');
    }
    req.log.error({ err }, 'unexpected error while handling a request');
    return reply.status(500).send({ error: { code: 'MT_ERR_INTERNAL', message: 'internal error' } });
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 'notFound', `no route ${req.method} ${req.url}`));

  registerWebhookRoutes(app, { ...deps, now });
  registerOpsRoutes(app, deps);
  if (deps.web) {
    const externalUrl = deps.config.server.externalUrl;
    registerWebRoutes(app, { ...deps.web, store: deps.store, auth, ...(externalUrl ? { externalUrl } : {}) });
  }
  if (!authRequired(auth) && !auth.hmac && deps.logger) {
    deps.logger.warn('webhooks accept unauthenticated requests (pages are behind auth.web)');
  }
  if (deps.web && !browsersCanSignIn(auth) && deps.logger) {
    deps.logger.warn(
      'the web pages accept bearer tokens only, which a browser cannot send: add auth.web.basic users or auth.web.proxy for people',
    );
  }
  return app;
}
