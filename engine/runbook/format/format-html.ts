import { RUNBOOK_CSS } from './runbook-css.js';
import { renderChartSvg } from '../chart/render-chart-svg.js';
import { runbookLinks } from '../links/incident-links.js';
import { cleanText } from '../render/literal.js';
import {
  assertNever,
  type Block,
  type ChartData,
  type EvidenceRow,
  type Rich,
  type Runbook,
  type Span,
} from '../types.js';

/** Elements the HTML renderer styles; a channel supplies inline CSS for each (email) or relies on classes (web). */
export type HtmlPart =
  | 'article'
  | 'title'
  | 'meta'
  | 'badge'
  | 'summary'
  | 'h'
  | 'p'
  | 'ul'
  | 'ol'
  | 'li'
  | 'code'
  | 'pre'
  | 'table'
  | 'td'
  /** The first cell of an evidence row (its value). */
  | 'tdKey'
  | 'a'
  | 'strong'
  | 'figure'
  | 'ok'
  | 'fail';

export interface HtmlFormatOptions {
  /** Inline CSS per part (email clients drop <style>); absent parts get only a class. */
  styles?: Partial<Record<HtmlPart, string>>;
  /** Severity colour for the badge (email). */
  severityColor?: (severity: Runbook['severity']) => string;
  /** How a chart is embedded: inline SVG by default; the email uses a cid: image. */
  chart?: (chart: ChartData, index: number) => string;
  /** Heading level of the title: 2 by default; 1 where the runbook heads its page (the web page). */
  titleLevel?: 1 | 2;
}

/** HTML-escape everything, quotes included, after removing control characters. */
export function esc(s: string): string {
  return cleanText(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

class Html {
  constructor(private readonly o: HtmlFormatOptions) {}

  attr(part: HtmlPart, extra = ''): string {
    const style = [this.o.styles?.[part], extra].filter(Boolean).join(';');
    return ` class="mt-${part}"${style ? ` style="${esc(style)}"` : ''}`;
  }

  span(s: Span): string {
    switch (s.kind) {
      case 'text':
        return esc(s.text);
      case 'strong':
        return `<strong${this.attr('strong')}>${esc(s.text)}</strong>`;
      case 'code':
        return `<code${this.attr('code')}>${esc(s.text)}</code>`;
      case 'link':
        return /^https?:\/\//i.test(s.url)
          ? `<a href="${esc(s.url)}" rel="noopener noreferrer"${this.attr('a')}>${esc(s.text)}</a>`
          : esc(s.text);
      default:
        return assertNever(s, 'span');
    }
  }

  rich(r: Rich): string {
    return r.map((s) => this.span(s)).join('');
  }

  heading(h: string | undefined): string {
    return h === undefined ? '' : `<h3${this.attr('h')}>${esc(h)}</h3>`;
  }

  pre(code: string, lang: string): string {
    return `<pre${this.attr('pre')}><code class="language-${esc(lang)}">${esc(code)}</code></pre>`;
  }

  evidence(e: EvidenceRow): string {
    const mark = e.passed === null ? '?' : e.passed ? '✓' : '✗';
    const part = e.passed === false ? 'fail' : 'ok';
    return (
      `<tr><td${this.attr('tdKey')}><span${this.attr(part)}>${mark}</span> <strong${this.attr('strong')}>${esc(e.value)}</strong></td>` +
      `<td${this.attr('td')}>${esc(e.label)}<br><code${this.attr('code')}>${esc(e.fact)}</code> ${esc(e.comparison)}</td></tr>`
    );
  }

  block(b: Block, charts: { n: number }): string {
    switch (b.kind) {
      case 'text':
        return (
          this.heading(b.heading) +
          b.paragraphs.map((p) => `<p${this.attr('p')}>${this.rich(p)}</p>`).join('')
        );
      case 'list':
        return `${this.heading(b.heading)}<ul${this.attr('ul')}>${b.items.map((i) => `<li${this.attr('li')}>${this.rich(i)}</li>`).join('')}</ul>`;
      case 'evidence':
        return `${this.heading(b.heading)}<table${this.attr('table')} role="presentation">${b.rows.map((e) => this.evidence(e)).join('')}</table>`;
      case 'steps':
        return `${this.heading(b.heading)}<ol${this.attr('ol')}>${b.steps
          .map(
            (s) =>
              `<li${this.attr('li')}>${this.rich(s.text)}${s.code ? this.pre(s.code.code, s.code.lang) : ''}</li>`,
          )
          .join('')}</ol>`;
      case 'code':
        return this.heading(b.heading) + this.pre(b.code, b.lang);
      case 'links':
        return `${this.heading(b.heading)}<ul${this.attr('ul')}>${b.links
          .map((l) => `<li${this.attr('li')}>${this.span({ kind: 'link', text: l.label, url: l.url })}</li>`)
          .join('')}</ul>`;
      case 'chart': {
        const embed = this.o.chart ?? ((c: ChartData) => renderChartSvg(c));
        return `<figure${this.attr('figure')}>${embed(b.chart, charts.n++)}</figure>`;
      }
      default:
        return assertNever(b, 'block');
    }
  }
}

/**
 * The runbook as an HTML fragment (`<article>`): every string escaped, links only http(s) with
 * rel=noopener, charts as inline SVG unless the channel embeds them otherwise.
 */
export function formatRunbookHtml(rb: Runbook, opts: HtmlFormatOptions = {}): string {
  const h = new Html(opts);
  const color = opts.severityColor?.(rb.severity);
  const meta = [
    rb.service && `service ${esc(rb.service)}`,
    `incident ${esc(rb.incidentId)}`,
    rb.status !== 'unknown' && esc(rb.status),
  ]
    .filter(Boolean)
    .join(' · ');
  const charts = { n: 0 };
  const labels = Object.entries(rb.labels);
  const links = runbookLinks(rb);
  return [
    `<article${h.attr('article')} data-severity="${esc(rb.severity)}">`,
    `<p${h.attr('meta')}><span${h.attr('badge', color ? `background:${color}` : '')}>${esc(rb.severity.toUpperCase())}</span> ${meta}</p>`,
    `<h${opts.titleLevel ?? 2}${h.attr('title')}>${esc(rb.title)}</h${opts.titleLevel ?? 2}>`,
    `<p${h.attr('summary')}>${h.rich(rb.summary)}</p>`,
    links.length > 0
      ? `<p${h.attr('meta')}>${links.map(([text, url]) => h.span({ kind: 'link', text, url })).join(' · ')}</p>`
      : '',
    ...rb.blocks.map((b) => h.block(b, charts)),
    labels.length > 0
      ? `<p${h.attr('meta')}>Alert labels: ${labels.map(([k, v]) => `<code${h.attr('code')}>${esc(k)}</code> ${esc(v)}`).join(' · ')}</p>`
      : '',
    '</article>',
  ]
    .filter((x) => x !== '')
    .join('\n');
}

/**
 * The runbook as a standalone HTML document (`diagnose --format html`): the same fragment as the
 * web page's, with its title, a viewport for phones and the runbook's own CSS; no script, no
 * external resource (charts are inline SVG).
 */
export function formatRunbookHtmlDocument(rb: Runbook): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${esc(rb.title)} · memtriage</title>`,
    `<style>body{margin:0 auto;max-width:60rem;padding:1rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;overflow-wrap:anywhere}code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}${RUNBOOK_CSS}</style>`,
    '</head>',
    '<body>',
    formatRunbookHtml(rb, { titleLevel: 1 }),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
