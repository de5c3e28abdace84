import type { IncidentRecord } from '../../store/types.js';
import { html, page, type Html } from './html.js';

export interface IncidentFilter {
  service?: string;
  cause?: string;
  status?: string;
}

export interface IncidentRow {
  id: string;
  receivedAt: number;
  service?: string;
  topCause?: string;
  severity?: string;
  status: string;
  stage: string;
}

/** What the list shows of a stored incident: all from the incident and its diagnosis. */
export function incidentRow(i: IncidentRecord): IncidentRow {
  const top = i.diagnosis?.causes[0];
  const service = i.diagnosis?.incident.service ?? serviceFromPayload(i.payload);
  return {
    id: i.id,
    receivedAt: i.receivedAt,
    ...(service !== undefined ? { service } : {}),
    ...(top
      ? { topCause: top.ruleId, severity: top.severity }
      : i.diagnosis
        ? { topCause: i.diagnosis.outcome }
        : {}),
    status: i.status,
    stage: i.stage,
  };
}

function serviceFromPayload(payload: unknown): string | undefined {
  const p = payload as { commonLabels?: Record<string, unknown>; labels?: Record<string, unknown> } | null;
  const labels = p?.commonLabels ?? p?.labels;
  const v = labels?.['service'] ?? labels?.['job'];
  return typeof v === 'string' ? v : undefined;
}

export function matchesFilter(row: IncidentRow, f: IncidentFilter): boolean {
  return (
    (!f.service || row.service === f.service) &&
    (!f.cause || row.topCause === f.cause) &&
    (!f.status || row.status === f.status)
  );
}

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
  rows: readonly IncidentRow[];
  filter: IncidentFilter;
  page: number;
  pageSize: number;
  services: readonly string[];
  causes: readonly string[];
}): string {
  const { rows, filter, pageSize } = input;
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const pageNo = Math.min(Math.max(1, input.page), pages);
  const shown = rows.slice((pageNo - 1) * pageSize, pageNo * pageSize);
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
      <span class="muted"
        >page ${pageNo} of ${pages} · ${rows.length} incident${rows.length === 1 ? '' : 's'}</span
      >
      ${pageNo < pages ? html`<a href="${query(filter, pageNo + 1)}">older →</a>` : ''}
    </nav>`;
  return page('Incidents', body);
}
