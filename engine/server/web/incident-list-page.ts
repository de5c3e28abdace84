import {
  QUERY_COLUMNS,
  type IncidentListColumn,
  type IncidentQuery,
  type IncidentSummary,
} from '../../store/types.js';
import { html, page, type Html } from './html.js';

/** The list's filters, from the query string; applied in the store's SQL (bound parameters). */
export type IncidentFilter = IncidentQuery;

/** The query-string keys that filter the list, in the order the form shows them. */
export const FILTER_KEYS = Object.keys(QUERY_COLUMNS) as (keyof IncidentQuery)[];

/** The filter menus, in the form's order: each a list column's stored values, and status. */
const MENUS: readonly [keyof IncidentQuery, string][] = [
  ['alert', 'Alert'],
  ['service', 'Service'],
  ['instance', 'Instance'],
  ['cause', 'Cause'],
  ['severity', 'Severity'],
  ['status', 'Status'],
];
const STATUSES: readonly string[] = ['firing', 'resolved'];

/** A row of the list, as the store returns it (indexed columns only). */
export type IncidentRow = IncidentSummary;

/** Longest filter value taken from the query string; a longer one matches nothing anyway. */
const MAX_FILTER_CHARS = 256;

/** `?alert=…&service=…&instance=…&cause=…&severity=…&status=…` → the filter (empty and repeated keys ignored). */
export function filterFromQuery(q: Record<string, unknown>): IncidentFilter {
  const out: IncidentFilter = {};
  for (const key of FILTER_KEYS) {
    const v = q[key];
    if (typeof v === 'string' && v !== '' && v.length <= MAX_FILTER_CHARS) out[key] = v;
  }
  return out;
}

function query(f: IncidentFilter, pageNo: number): string {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) if (f[k]) q.set(k, f[k]);
  if (pageNo > 1) q.set('page', String(pageNo));
  const s = q.toString();
  return s ? `/?${s}` : '/';
}

/** The menu's values; a filter value not among them (typed into the URL) is offered too, so it shows. */
function options(values: readonly string[], selected: string | undefined): Html[] {
  const all = selected && !values.includes(selected) ? [selected, ...values] : values;
  return ['', ...all].map(
    (v) => html`<option value="${v}" ${v === (selected ?? '') ? html` selected` : ''}>${v || 'any'}</option>`,
  );
}

/** `2026-11-25 10:01 UTC`: minutes, with the zone said. */
export function utcMinutes(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

/** `45s`, `12m`, `3h 5m`, `2d 4h`: how long ago, at a glance. */
export function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** When the incident started: the alert's `startsAt` when it is a real time, else when it arrived. */
function startedAt(r: IncidentRow): number {
  const t = r.alertStartsAt === undefined ? Number.NaN : Date.parse(r.alertStartsAt);
  return Number.isFinite(t) && t > Date.UTC(2000, 0, 1) && t <= r.receivedAt + 60_000 ? t : r.receivedAt;
}

const COLUMNS = 7;
/** Severities with a colour; an alert's own `severity` label may say anything (shown grey). */
const KNOWN_SEVERITIES = new Set(['critical', 'warning', 'info']);

function row(r: IncidentRow, now: number): Html {
  const started = startedAt(r);
  const cause = r.topCause ?? (r.stage === 'failed' ? 'pipeline failed' : 'pending');
  // On a phone the status, service and instance columns give way to a line under the alert's name.
  const where = [r.service, r.instance].filter((v): v is string => v !== undefined);
  return html`<tr class="incident">
      <td>
        <a href="/incidents/${encodeURIComponent(r.id)}">${r.alertName ?? 'alert'}</a>
        <div class="phone muted">
          <span class="status-${r.status}">${r.status}</span>${where.map((w) => html` · ${w}`)}
        </div>
      </td>
      <td class="wide">${r.service ?? '—'}</td>
      <td class="wide">${r.instance ?? '—'}</td>
      <td>${cause}</td>
      <td>
        ${
          r.severity
            ? html`<span class="sev${KNOWN_SEVERITIES.has(r.severity) ? ` sev-${r.severity}` : ''}"
                >${r.severity}</span
              >`
            : '—'
        }
      </td>
      <td class="wide status-${r.status}">${r.status}</td>
      <td class="when">
        <time datetime="${new Date(started).toISOString()}">${utcMinutes(started)}</time>
        <span class="muted">${age(now - started)} ago</span>
      </td>
    </tr>
    ${
      r.summary
        ? html`<tr class="alert-summary">
            <td colspan="${COLUMNS}">${r.summary}</td>
          </tr>`
        : ''
    }`;
}

/** `/`: incidents newest first, filtered by service, cause, severity and status, paged. */
export function renderIncidentListPage(input: {
  /** The rows of this page only. */
  rows: readonly IncidentRow[];
  /** How many incidents match the filter. */
  total: number;
  filter: IncidentFilter;
  page: number;
  pageSize: number;
  /** Each list column's values for its filter menu. */
  menus: Readonly<Record<IncidentListColumn, readonly string[]>>;
  /** For the ages (unix ms). */
  now: number;
}): string {
  const { filter, pageSize, total } = input;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const pageNo = Math.min(Math.max(1, input.page), pages);
  const shown = input.rows;
  const filtered = FILTER_KEYS.some((k) => filter[k]);
  const body = html`<h1>Incidents</h1>
    <form class="filters" method="get" action="/">
      ${MENUS.map(
        ([key, caption]) =>
          html`<label
            >${caption}<select name="${key}">
              ${options(key === 'status' ? STATUSES : input.menus[key], filter[key])}
            </select></label
          >`,
      )}
      <button type="submit">Filter</button>
      ${filtered ? html`<a class="clear" href="/">clear</a>` : ''}
    </form>
    ${
      shown.length === 0
        ? html`<p class="muted">No incidents${filtered ? ' match these filters' : ' yet'}.</p>`
        : html`<div class="table-wrap">
            <table class="incidents">
              <thead>
                <tr>
                  <th>Alert</th>
                  <th class="wide">Service</th>
                  <th class="wide">Instance</th>
                  <th>Top cause</th>
                  <th>Severity</th>
                  <th class="wide">Status</th>
                  <th>Started (UTC)</th>
                </tr>
              </thead>
              <tbody>
                ${shown.map((r) => row(r, input.now))}
              </tbody>
            </table>
          </div>`
    }
    <nav class="pager">
      ${pageNo > 1 ? html`<a href="${query(filter, pageNo - 1)}">← newer</a>` : ''}
      <span class="muted">page ${pageNo} of ${pages} · ${total} incident${total === 1 ? '' : 's'}</span>
      ${pageNo < pages ? html`<a href="${query(filter, pageNo + 1)}">older →</a>` : ''}
    </nav>`;
  return page('Incidents', body);
}
