import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Rule } from '../../rules/types.js';
import type { IncidentSummary } from '../../store/types.js';
import { utcTime } from '../../notify/runbook-text.js';
import { html, page } from './html.js';

/** Most of a rule's file shown on its page: rule folders are a few KiB; a user's could be anything. */
const MAX_FILE_BYTES = 256 * 1024;

/** What `/rules/<id>` shows besides the rule: its files as they are on disk now. */
export interface RuleFiles {
  yaml?: string;
  readme?: string;
  cases?: string;
}

/** rule.yaml, README.md and cases.yaml of the rule's folder, each cut at 256 KiB; absent ones are left out. */
export async function readRuleFiles(rule: Rule): Promise<RuleFiles> {
  const [yaml, readme, cases] = await Promise.all([
    readCapped(rule.file),
    rule.readme === undefined ? undefined : readCapped(rule.readme),
    readCapped(join(rule.dir, 'cases.yaml')),
  ]);
  return {
    ...(yaml !== undefined ? { yaml } : {}),
    ...(readme !== undefined ? { readme } : {}),
    ...(cases !== undefined ? { cases } : {}),
  };
}

async function readCapped(path: string): Promise<string | undefined> {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const buf = Buffer.alloc(MAX_FILE_BYTES + 1);
    const { bytesRead } = await file.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, Math.min(bytesRead, MAX_FILE_BYTES)).toString('utf8');
    return bytesRead > MAX_FILE_BYTES ? `${text}\n… (cut at 256 KiB)` : text;
  } catch {
    return undefined;
  } finally {
    await file.close();
  }
}

/**
 * `/rules/<id>`: the rule as loaded (title, severity, kind, confidence, runbook template), its
 * rule.yaml, README.md and cases.yaml as text, and the latest incidents it was the top cause of.
 * Files are shown verbatim in `<pre>` (escaped), never rendered: a user's README is not trusted HTML.
 */
export function renderRulePage(
  rule: Rule,
  files: RuleFiles,
  incidents: readonly IncidentSummary[],
  total: number,
): string {
  const file = (heading: string, text: string | undefined) =>
    text === undefined
      ? ''
      : html`<h2>${heading}</h2>
          <pre>${text}</pre>`;
  const body = html`<p><a href="/rules">Rules</a></p>
    <h1><code>${rule.id}</code> — ${rule.title}</h1>
    <p>
      <span class="sev sev-${rule.severity}">${rule.severity}</span>
      ${rule.kind}${rule.fallback ? ', fallback' : ''}, confidence ${rule.confidence.toFixed(2)}, runbook
      <code>${rule.runbook}</code>
    </p>
    ${rule.description === undefined ? '' : html`<p>${rule.description}</p>`}
    <h2>Incidents it named as the top cause</h2>
    ${
      incidents.length === 0
        ? html`<p class="muted">none stored</p>`
        : html`<p>
              ${total} in all${total > incidents.length ? html`; the latest ${incidents.length} below` : ''}
              (<a href="/?cause=${encodeURIComponent(rule.id)}">all of them in the list</a>)
            </p>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Received</th>
                    <th>Alert</th>
                    <th>Service</th>
                    <th>Instance</th>
                    <th>Status</th>
                  </tr>
                </thead>
                <tbody>
                  ${incidents.map(
                    (i) =>
                      html`<tr>
                        <td><a href="/incidents/${encodeURIComponent(i.id)}">${utcTime(i.receivedAt)}</a></td>
                        <td>${i.alertName ?? ''}</td>
                        <td>${i.service ?? ''}</td>
                        <td>${i.instance ?? ''}</td>
                        <td>${i.status}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
    }
    ${file('rule.yaml', files.yaml)} ${file('README.md', files.readme)} ${file('cases.yaml', files.cases)}`;
  return page(`Rule ${rule.id}`, body);
}
