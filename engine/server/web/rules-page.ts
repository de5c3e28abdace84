import type { Rule } from '../../rules/types.js';
import { html, page } from './html.js';

/** `/rules`: the loaded rules, and when each last fired among the stored incidents. */
export function renderRulesPage(rules: readonly Rule[], lastFired: ReadonlyMap<string, number>): string {
  const body = html`<h1>Rules</h1>
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Rule</th>
            <th class="wide">Severity</th>
            <th>Title</th>
            <th>Last fired</th>
          </tr>
        </thead>
        <tbody>
          ${rules.map((r) => {
            const at = lastFired.get(r.id);
            return html`<tr>
              <td>
                <a href="/rules/${encodeURIComponent(r.id)}"><code>${r.id}</code></a
                >${r.kind === 'cause' ? '' : html` <span class="muted">(${r.kind})</span>`}
              </td>
              <td class="wide"><span class="sev sev-${r.severity}">${r.severity}</span></td>
              <td>${r.title}</td>
              <td>
                ${at === undefined ? html`<span class="muted">never</span>` : new Date(at).toISOString().replace('T', ' ').slice(0, 19)}
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>`;
  return page('Rules', body);
}
