import { formatEvidence } from '../../diagnose/format-diagnosis.js';
import { formatFactValue } from '../../format/units.js';
import type { DeliveryRecord, IncidentRecord } from '../../store/types.js';
import { html, page, raw } from './html.js';

const when = (ms: number | undefined) =>
  ms === undefined ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/**
 * `/incidents/<id>`: the rendered runbook, the evidence, every fact with its source, the delivery
 * history, and the raw bundle to download. `runbookHtml` is the runbook's own escaped HTML fragment.
 */
export function renderIncidentPage(input: {
  incident: IncidentRecord;
  deliveries: readonly DeliveryRecord[];
  runbookHtml?: string;
  hasBundle: boolean;
}): string {
  const { incident: i, deliveries } = input;
  const d = i.diagnosis;
  const title =
    d?.causes[0]?.title ??
    (d ? (d.outcome === 'healthy' ? 'No cause found (healthy)' : 'No cause found') : 'Not diagnosed yet');
  const id = encodeURIComponent(i.id);
  const details = html`received
  ${when(i.receivedAt)}${
    i.resolvedAt ? html` · resolved ${when(i.resolvedAt)}` : ''
  }${i.repeats > 0 ? html` · ${i.repeats} repeat notification${i.repeats === 1 ? '' : 's'}` : ''}${
    input.hasBundle ? html` · <a href="/incidents/${id}/bundle.tar.gz">download the raw bundle</a>` : ''
  }`;
  const status = html`<span class="status-${i.status}">${i.status}</span>`;
  // With a runbook, its header (severity, service, incident, state, title) heads the page: the
  // page adds only what the runbook does not say, so the title and the id do not appear twice.
  const head = input.runbookHtml
    ? html`<p class="muted">${status} · ${i.source} alert · ${details}</p>`
    : html`<h1>${title}</h1>
        <p class="muted">Incident <code>${i.id}</code> · ${i.source} · ${status} · ${details}</p>`;
  const body = html`${head} ${i.error ? html`<p class="status-firing">Pipeline error: ${i.error}</p>` : ''}
    ${input.runbookHtml ? html`<div class="runbook">${raw(input.runbookHtml)}</div>` : ''}
    ${
      d && d.causes.length > 0
        ? html`<h2>Evidence</h2>
            ${d.causes.map(
              (c) =>
                html`<h3>
                    <span class="sev sev-${c.severity}">${c.severity}</span> ${c.ruleId}${
                      c.consequenceOf
                        ? html` <span class="muted">(consequence of ${c.consequenceOf})</span>`
                        : ''
                    } <span class="muted">confidence ${c.confidence.toFixed(2)}</span>
                  </h3>
                  <ul>
                    ${c.evidence.map((e) => html`<li><code>${formatEvidence(e)}</code></li>`)}
                  </ul>`,
            )}`
        : ''
    }
    ${
      d
        ? html`<h2>Facts</h2>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Fact</th>
                    <th>Value</th>
                    <th class="wide">Source</th>
                  </tr>
                </thead>
                <tbody>
                  ${Object.entries(d.facts)
                    .sort(([a], [b]) => a.localeCompare(b))
                    .map(
                      ([factId, f]) =>
                        html`<tr>
                          <td><code>${factId}</code></td>
                          <td class="num">${formatFactValue(f.value, f.unit)}</td>
                          <td class="wide">${f.source}</td>
                        </tr>`,
                    )}
                </tbody>
              </table>
            </div>
            ${
              // Without a cause the runbook's "Collect next" already leads with these.
              d.missingSources.length > 0 && d.outcome === 'cause-found'
                ? html`<h2>Missing sources</h2>
                    <ul>
                      ${d.missingSources.map((m) => html`<li>${m.source}: ${m.reason}</li>`)}
                    </ul>`
                : ''
            }`
        : ''
    }
    <h2>Deliveries</h2>
    ${
      deliveries.length === 0
        ? html`<p class="muted">None yet.</p>`
        : html`<div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Channel</th>
                  <th>Kind</th>
                  <th>State</th>
                  <th class="num">Attempts</th>
                  <th class="wide">Delivered / last error</th>
                </tr>
              </thead>
              <tbody>
                ${deliveries.map(
                  (x) =>
                    html`<tr>
                      <td>${x.channel}</td>
                      <td>${x.kind}</td>
                      <td>${x.state}</td>
                      <td class="num">${x.attempts}</td>
                      <td class="wide">${x.deliveredAt ? when(x.deliveredAt) : (x.lastError ?? '—')}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }`;
  return page(title, body);
}
