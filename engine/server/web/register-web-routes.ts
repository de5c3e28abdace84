import { existsSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthConfig, TargetConfig } from '../../config/types.js';
import { runbookOptionsFor } from '../pipeline/runbook-options.js';
import { formatRunbookHtml, renderRunbook } from '../../runbook/index.js';
import type { Rule } from '../../rules/types.js';
import type { Store } from '../../store/types.js';
import { checkWebCredentials } from '../auth.js';
import { html, page } from './html.js';
import { renderIncidentListPage, type IncidentFilter } from './incident-list-page.js';
import { renderIncidentPage } from './incident-page.js';
import { renderRulesPage } from './rules-page.js';
import { tarGzDirectory } from './tar-gz.js';

export interface WebDeps {
  store: Store;
  auth: AuthConfig;
  /** The rules the pipeline runs (for /rules). */
  rules: () => readonly Rule[];
  /** The configured targets: a runbook's commands name only their addresses, never an alert's. */
  targets?: readonly TargetConfig[];
  templatesDirs?: readonly string[];
  /** Where the pages are reached: links between the incidents of one alert group. */
  externalUrl?: URL;
}

const PAGE_SIZE = 25;
/** Values offered in the service and cause menus. */
const MENU_VALUES = 500;

/**
 * The web pages: `/` (incidents), `/incidents/<id>` (runbook, evidence, facts, deliveries, bundle),
 * `/rules`. Server-rendered HTML, no JavaScript, every stored string escaped. Behind the webhooks'
 * bearer or basic credentials or `auth.web`'s (a browser gets a Basic challenge); with HMAC-only
 * auth and no `auth.web` they are closed, never open.
 */
export function registerWebRoutes(app: FastifyInstance, deps: WebDeps): void {
  const guard = async (req: FastifyRequest, reply: FastifyReply) => {
    const r = checkWebCredentials(deps.auth, req.headers.authorization);
    if (r.ok) return;
    if (deps.auth.basic.length > 0 || (deps.auth.web?.basic.length ?? 0) > 0)
      reply.header('www-authenticate', 'Basic realm="memtriage", charset="UTF-8"');
    return reply
      .status(401)
      .type('text/html; charset=utf-8')
      .send(
        page(
          'Sign in',
          html`<h1>Sign in required</h1>
            <p>${r.message}</p>`,
        ),
      );
  };
  const htmlReply = (reply: FastifyReply, body: string, status = 200) =>
    reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

  app.get('/', { onRequest: guard }, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const filter: IncidentFilter = {
      ...(q['service'] ? { service: q['service'] } : {}),
      ...(q['cause'] ? { cause: q['cause'] } : {}),
      ...(q['status'] ? { status: q['status'] } : {}),
    };
    // Filtering, counting and paging happen in the store, over indexed columns: a page reads
    // PAGE_SIZE short rows, never the stored incidents' JSON.
    const total = deps.store.countIncidents(filter);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const asked = Number.parseInt(q['page'] ?? '1', 10);
    const pageNo = Math.min(Math.max(1, Number.isFinite(asked) ? asked : 1), pages);
    return htmlReply(
      reply,
      renderIncidentListPage({
        rows: deps.store.listIncidentSummaries(filter, PAGE_SIZE, (pageNo - 1) * PAGE_SIZE),
        total,
        filter,
        page: pageNo,
        pageSize: PAGE_SIZE,
        services: deps.store.distinctIncidentValues('service', MENU_VALUES),
        causes: deps.store.distinctIncidentValues('cause', MENU_VALUES),
      }),
    );
  });

  app.get('/incidents/:id', { onRequest: guard }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const incident = deps.store.getIncident(id);
    if (!incident)
      return htmlReply(
        reply,
        page(
          'Not found',
          html`<h1>No incident ${id}</h1>
            <p><a href="/">All incidents</a></p>`,
        ),
        404,
      );
    let runbookHtml: string | undefined;
    if (incident.diagnosis) {
      try {
        runbookHtml = formatRunbookHtml(
          renderRunbook(
            incident.diagnosis,
            runbookOptionsFor(incident, deps.store, {
              targets: deps.targets ?? [],
              rules: { templates: deps.templatesDirs ?? [] },
              server: deps.externalUrl ? { externalUrl: deps.externalUrl } : {},
            }),
          ),
        );
      } catch (err) {
        req.log.warn({ err }, 'runbook could not be rendered for the web page');
      }
    }
    return htmlReply(
      reply,
      renderIncidentPage({
        incident,
        deliveries: deps.store.deliveriesFor(id),
        ...(runbookHtml !== undefined ? { runbookHtml } : {}),
        hasBundle: incident.bundleDir !== undefined && existsSync(incident.bundleDir),
      }),
    );
  });

  app.get('/incidents/:id/bundle.tar.gz', { onRequest: guard }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const incident = deps.store.getIncident(id);
    if (!incident?.bundleDir || !existsSync(incident.bundleDir)) {
      return reply
        .status(404)
        .send({ error: { code: 'MT_ERR_HTTP_NOT_FOUND', message: `no bundle for incident ${id}` } });
    }
    const safe = id.replace(/[^A-Za-z0-9._-]/g, '_');
    return reply
      .type('application/gzip')
      .header('content-disposition', `attachment; filename="memtriage-${safe}.tar.gz"`)
      .send(await tarGzDirectory(incident.bundleDir, `memtriage-${safe}`));
  });

  app.get('/rules', { onRequest: guard }, async (_req, reply) =>
    htmlReply(reply, renderRulesPage(deps.rules(), deps.store.lastFiredByRule())),
  );
}
