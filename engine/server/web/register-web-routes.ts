import { existsSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthConfig, TargetConfig } from '../../config/types.js';
import { incidentLinks, withIncidentLinks } from '../pipeline/incident-links.js';
import { runbookOptionsFor } from '../pipeline/runbook-options.js';
import { formatRunbookHtml, renderRunbook } from '../../runbook/index.js';
import type { Runbook } from '../../runbook/types.js';
import type { Rule } from '../../rules/types.js';
import { LIST_COLUMNS, type IncidentListColumn, type Store } from '../../store/types.js';
import { createWebGuard } from '../auth.js';
import { html, page } from './html.js';
import { filterFromQuery, renderIncidentListPage, type IncidentFilter } from './incident-list-page.js';
import { renderIncidentPage } from './incident-page.js';
import { readRuleFiles, renderRulePage } from './rule-page.js';
import { renderRulesPage } from './rules-page.js';
import { tarGzDirectory } from '../../bundle/write-tar-gz.js';
import { bundleArchivePrefix } from '../pipeline/shared-bundle.js';

export interface WebDeps {
  store: Store;
  auth: AuthConfig;
  /** The rules the pipeline runs (for /rules). */
  rules: () => readonly Rule[];
  /** The configured targets: a runbook's commands name only their addresses, never an alert's. */
  targets?: readonly TargetConfig[];
  templatesDirs?: readonly string[];
  /** The clock for the list's ages (tests). */
  now?: () => number;
  /** Where the pages are reached: links between the incidents of one alert group. */
  externalUrl?: URL;
}

const PAGE_SIZE = 25;
/** Incidents listed on a rule's page (the list page has the rest, filtered by cause). */
const RULE_PAGE_INCIDENTS = 20;
/** Values offered in the service and cause menus. */
const MENU_VALUES = 500;

/**
 * The web pages: `/` (incidents), `/incidents/<id>` (runbook, evidence, facts, deliveries, bundle),
 * `/rules`. Server-rendered HTML, no JavaScript, every stored string escaped. Behind the webhooks'
 * bearer or basic credentials, `auth.web`'s (a browser gets a Basic challenge) or a trusted auth
 * proxy's user header (createWebGuard); with HMAC-only auth and no `auth.web` they are closed.
 */
export function registerWebRoutes(app: FastifyInstance, deps: WebDeps): void {
  const check = createWebGuard(deps.auth);
  const guard = async (req: FastifyRequest, reply: FastifyReply) => {
    const r = check({
      authorization: req.headers.authorization,
      remoteAddress: req.socket.remoteAddress,
      header: (name) => req.headers[name],
    });
    if (r.ok) return;
    if (r.untrustedIdentity) {
      req.log.warn(
        { remoteAddress: req.socket.remoteAddress },
        'ignored an auth-proxy user header from an address not in auth.web.proxy.trustedAddresses',
      );
    }
    return reply
      .status(401)
      .header('www-authenticate', r.challenge)
      .header('cache-control', 'no-store')
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
    const q = req.query as Record<string, unknown>;
    const filter: IncidentFilter = filterFromQuery(q);
    // Filtering, counting and paging happen in the store, over indexed columns: a page reads
    // PAGE_SIZE short rows, never the stored incidents' JSON.
    const columns = Object.keys(LIST_COLUMNS) as IncidentListColumn[];
    const [total, ...values] = await Promise.all([
      deps.store.countIncidents(filter),
      ...columns.map((c) => deps.store.distinctIncidentValues(c, MENU_VALUES)),
    ]);
    const menus = Object.fromEntries(columns.map((c, i) => [c, values[i] ?? []])) as Record<
      IncidentListColumn,
      string[]
    >;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const asked = Number.parseInt(typeof q['page'] === 'string' ? q['page'] : '1', 10);
    const pageNo = Math.min(Math.max(1, Number.isFinite(asked) ? asked : 1), pages);
    return htmlReply(
      reply,
      renderIncidentListPage({
        rows: await deps.store.listIncidentSummaries(filter, PAGE_SIZE, (pageNo - 1) * PAGE_SIZE),
        total,
        filter,
        page: pageNo,
        pageSize: PAGE_SIZE,
        menus,
        now: (deps.now ?? Date.now)(),
      }),
    );
  });

  app.get('/incidents/:id', { onRequest: guard }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const incident = await deps.store.getIncident(id);
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
        const rb = renderRunbook(
          incident.diagnosis,
          await runbookOptionsFor(incident, deps.store, {
            targets: deps.targets ?? [],
            rules: { templates: deps.templatesDirs ?? [] },
            server: deps.externalUrl ? { externalUrl: deps.externalUrl } : {},
          }),
        );
        // One state everywhere: the incident's status now, not the one it had when it was diagnosed.
        // The page links to the alert's source and its Alertmanager silence, not to itself.
        runbookHtml = formatRunbookHtml(
          withIncidentLinks(
            { ...stepsFirst(rb), status: incident.status },
            incidentLinks(incident, undefined),
          ),
          { titleLevel: 1 },
        );
      } catch (err) {
        req.log.warn({ err }, 'runbook could not be rendered for the web page');
      }
    }
    return htmlReply(
      reply,
      renderIncidentPage({
        incident,
        deliveries: await deps.store.deliveriesFor(id),
        ...(runbookHtml !== undefined ? { runbookHtml } : {}),
        // A shared store holds every acquired bundle; a local one only while its directory is there.
        hasBundle:
          incident.bundleDir !== undefined && (deps.store.sharedBundles || existsSync(incident.bundleDir)),
      }),
    );
  });

  app.get('/incidents/:id/bundle.tar.gz', { onRequest: guard }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const incident = await deps.store.getIncident(id);
    const archive = !incident?.bundleDir
      ? undefined
      : deps.store.sharedBundles
        ? await deps.store.getBundle(id)
        : existsSync(incident.bundleDir)
          ? await tarGzDirectory(incident.bundleDir, bundleArchivePrefix(id))
          : undefined;
    if (archive === undefined) {
      return reply
        .status(404)
        .send({ error: { code: 'MT_ERR_HTTP_NOT_FOUND', message: `no bundle for incident ${id}` } });
    }
    return reply
      .type('application/gzip')
      .header('content-disposition', `attachment; filename="${bundleArchivePrefix(id)}.tar.gz"`)
      .send(Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength));
  });

  app.get('/rules', { onRequest: guard }, async (_req, reply) =>
    htmlReply(reply, renderRulesPage(deps.rules(), await deps.store.lastFiredByRule())),
  );

  app.get<{ Params: { id: string } }>('/rules/:id', { onRequest: guard }, async (req, reply) => {
    const rule = deps.rules().find((r) => r.id === req.params.id);
    if (rule === undefined)
      return htmlReply(
        reply,
        page(
          'Not found',
          html`<h1>No rule ${req.params.id}</h1>
            <p><a href="/rules">All rules</a></p>`,
        ),
        404,
      );
    const query = { cause: rule.id };
    return htmlReply(
      reply,
      renderRulePage(
        rule,
        await readRuleFiles(rule),
        await deps.store.listIncidentSummaries(query, RULE_PAGE_INCIDENTS, 0),
        await deps.store.countIncidents(query),
      ),
    );
  });
}

/**
 * The page is read at 3 a.m. on a phone: the first steps ("Right now") come straight after the
 * summary, before the explanation, the evidence and the charts. The channels keep the template's order.
 */
export function stepsFirst(rb: Runbook): Runbook {
  const at = rb.blocks.findIndex((b) => b.kind === 'steps');
  if (at <= 0) return rb;
  return { ...rb, blocks: [rb.blocks[at]!, ...rb.blocks.slice(0, at), ...rb.blocks.slice(at + 1)] };
}
