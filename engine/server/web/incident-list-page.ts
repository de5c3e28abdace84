import type { IncidentSummary } from '../../store/types.js';
import { html, page, type Html } from './html.js';

export interface IncidentFilter {
  service?: string;
  cause?: string;
  status?: string;
}

/** A row of the list, as the store returns it (indexed columns only). */
export type IncidentRow = IncidentSummary;

function query(f: IncidentFilter, pageNo: number): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
  if (pageNo > 1) q.set('page', String(pageNo));
  const s = q.toString();
  return s ? `/?${s}` : '/';
}

function options(values: readonly string[], selected: string | undefined): Html[] {
  return ['', ...values].map(
    (v) => html`<option value="${v}" ${v === (selected ?? '') ? html` selected` : ''}>${v || 'any'}</option>`,
  );
}

/** `/`: incidents newest first, filtered by service, cause and status, paged. */
export function renderIncidentListPage(input: {
  /** The rows of this page only. */
  rows: readonly IncidentRow[];
  /** How many incidents match the filter. */
  total: number;
  filter: IncidentFilter;
  page: number;
  pageSize: number;
  services: readonly string[];
  causes: readonly string[];
}): string {
  const { filter, pageSize, total } = input;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const pageNo = Math.min(Math.max(1, input.page), pages);
  const shown = input.rows;
  const body = html`<h1>Incidents</h1>
    <form class="filters" method="get" action="/">
      <label
        >Service<select name="service">
          ${options(input.services, filter.service)}
        </select></label
      >
      <label
        >Cause<select name="cause">
          ${options(input.causes, filter.cause)}
        </select></label
      >
      <label
        >Status<select name="status">
          ${options(['firing', 'resolved'], filter.status)}
        </select></label
      >
      <button type="submit">Filter</button>
    </form>
    ${
      shown.length === 0
        ? html`<p class="muted">
            No incidents${filter.service || filter.cause || filter.status ? ' match these filters' : ' yet'}.
          </p>`
        : html`<div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Received</th>
                  <th>Service</th>
                  <th>Top cause</th>
                  <th class="wide">Severity</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                ${shown.map(
                  (r) =>
                    html`<tr>
                      <td>
                        <a href="/incidents/${encodeURIComponent(r.id)}"
                          >${new Date(r.receivedAt).toISOString().replace('T', ' ').slice(0, 19)}</a
                        >
                      </td>
                      <td>${r.service ?? '—'}</td>
                      <td>${r.topCause ?? (r.stage === 'failed' ? 'pipeline failed' : 'pending')}</td>
                      <td class="wide">
                        ${r.severity ? html`<span class="sev sev-${r.severity}">${r.severity}</span>` : '—'}
                      </td>
                      <td class="status-${r.status}">${r.status}</td>
                    </tr>`,
                )}
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
