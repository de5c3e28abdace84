import { chartSparklines } from '../chart/sparkline.js';
import { runbookLinks } from '../links/incident-links.js';
import { cleanText } from '../render/literal.js';
import { assertNever, type Block, type EvidenceRow, type Rich, type Runbook, type Span } from '../types.js';

/**
 * Literal text for CommonMark: backslash-escape what could open markup — emphasis, code, links,
 * raw HTML and entities (`&amp;` must print as typed), table pipes — and the characters that
 * would start a block at the beginning of a line.
 */
export function mdEscape(s: string, lineStart = true): string {
  const t = cleanText(s)
    .replace(/\s+/g, ' ')
    .replace(/[\\`*_[\]<&|~!]/g, (c) => `\\${c}`);
  if (!lineStart) return t;
  return t.replace(/^([#>+=-])(?=\s|$)/, '\\$1').replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/** A code span that survives backticks in its content (CommonMark §6.1). */
export function mdCodeSpan(s: string): string {
  const t = cleanText(s).replace(/\s+/g, ' ');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run inside. */
export function mdCodeBlock(code: string, lang: string): string {
  const c = cleanText(code.replace(/\t/g, '    ')).replace(/\r/g, '');
  const longest = Math.max(2, ...(c.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${/^[A-Za-z0-9_+-]+$/.test(lang) ? lang : ''}\n${c}\n${fence}`;
}

function span(s: Span, i: number): string {
  switch (s.kind) {
    case 'text':
      return mdEscape(s.text, i === 0);
    case 'strong':
      return `**${mdEscape(s.text)}**`;
    case 'code':
      return mdCodeSpan(s.text);
    case 'link':
      return `[${mdEscape(s.text)}](<${s.url.replace(/[<>\s]/g, encodeURIComponent)}>)`;
    default:
      return assertNever(s, 'span');
  }
}

/** Spans of a paragraph or list item; only the first can start a block construct. */
export const mdRich = (r: Rich) => r.map(span).join('');

const MARK = (p: boolean | null) => (p === null ? '❔' : p ? '✅' : '❌');

function evidence(e: EvidenceRow): string {
  return `- ${MARK(e.passed)} **${mdEscape(e.value, false)}** ${mdEscape(e.label, false)} (${mdCodeSpan(e.fact)} ${mdEscape(e.comparison, false)})`;
}

function heading(h: string | undefined, level = 2): string[] {
  return h === undefined ? [] : [`${'#'.repeat(level)} ${mdEscape(h)}`, ''];
}

function block(b: Block): string[] {
  switch (b.kind) {
    case 'text':
      return [...heading(b.heading), ...b.paragraphs.flatMap((p) => [mdRich(p), ''])];
    case 'list':
      return [...heading(b.heading), ...b.items.map((i) => `- ${mdRich(i)}`), ''];
    case 'evidence':
      return [...heading(b.heading), ...b.rows.map(evidence), ''];
    case 'steps':
      return [
        ...heading(b.heading),
        ...b.steps.flatMap((s, i) => [
          `${i + 1}. ${mdRich(s.text)}`,
          ...(s.code
            ? [
                '',
                ...mdCodeBlock(s.code.code, s.code.lang)
                  .split('\n')
                  .map((l) => `   ${l}`),
                '',
              ]
            : []),
        ]),
        '',
      ];
    case 'code':
      return [...heading(b.heading, 3), mdCodeBlock(b.code, b.lang), ''];
    case 'links':
      return [
        ...heading(b.heading),
        ...b.links.map((l) => `- ${mdRich([{ kind: 'link', text: l.label, url: l.url }])}`),
        '',
      ];
    case 'chart':
      return [
        ...heading(b.heading ?? b.chart.title),
        mdCodeBlock(chartSparklines(b.chart).join('\n'), 'text'),
        '',
      ];
    default:
      return assertNever(b, 'block');
  }
}

/** The runbook as CommonMark, for tickets, pull requests and chat tools that render Markdown. */
export function formatRunbookMarkdown(rb: Runbook): string {
  const out: string[] = [`# ${mdEscape(rb.title)}`, ''];
  const meta = [
    `**${rb.severity.toUpperCase()}**`,
    rb.service && `service ${mdCodeSpan(rb.service)}`,
    `incident ${mdCodeSpan(rb.incidentId)}`,
  ];
  if (rb.status !== 'unknown') meta.push(rb.status);
  out.push(meta.filter(Boolean).join(' · '), '', mdRich(rb.summary), '');
  const links = runbookLinks(rb);
  if (links.length > 0) out.push(links.map(([label, url]) => `[${label}](<${url}>)`).join(' · '), '');
  for (const b of rb.blocks) out.push(...block(b));
  const labels = Object.entries(rb.labels);
  if (labels.length > 0)
    out.push(`Alert labels: ${labels.map(([k, v]) => `${mdCodeSpan(k)} ${mdEscape(v)}`).join(' · ')}`, '');
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
