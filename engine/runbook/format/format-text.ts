import { chartSparklines } from '../chart/sparkline.js';
import { runbookLinks } from '../links/incident-links.js';
import { cleanText } from '../render/literal.js';
import { assertNever, type Block, type EvidenceRow, type Rich, type Runbook, type Span } from '../types.js';

export interface TextFormatOptions {
  /** ANSI colour and bold; the caller decides (the CLI passes `process.stdout.isTTY`). */
  color?: boolean;
  /** Wrap prose at this many columns (code is never wrapped). */
  width?: number;
}

type Style = 'bold' | 'dim' | 'code' | 'red' | 'yellow' | 'green' | 'underline';
const ANSI: Record<Style, [string, string]> = {
  bold: ['\x1b[1m', '\x1b[22m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  code: ['\x1b[36m', '\x1b[39m'],
  red: ['\x1b[31m', '\x1b[39m'],
  yellow: ['\x1b[33m', '\x1b[39m'],
  green: ['\x1b[32m', '\x1b[39m'],
  underline: ['\x1b[4m', '\x1b[24m'],
};

/** Every string printed goes through here: no control character from any input reaches the terminal. */
const plain = (s: string) => cleanText(s);

function span(s: Span, paint: (t: string, st: Style) => string): string {
  switch (s.kind) {
    case 'text':
      return plain(s.text);
    case 'strong':
      return paint(plain(s.text), 'bold');
    case 'code':
      return paint(plain(s.text), 'code');
    case 'link':
      return `${plain(s.text)} <${paint(plain(s.url), 'underline')}>`;
    default:
      return assertNever(s, 'span');
  }
}

/**
 * Greedy word wrap that measures without ANSI sequences. Every line, the first included, holds at
 * most `width - indent.length` visible characters: the caller prefixes the first line with a
 * marker as wide as the indent (`  1. `).
 */
export function wrap(text: string, width: number, indent = ''): string {
  // eslint-disable-next-line no-control-regex -- measuring text without our own ANSI sequences
  const visible = (w: string) => w.replace(/\x1b\[[0-9;]*m/g, '').length;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && visible(line) + 1 + visible(word) > width - indent.length) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
}

/** The runbook for a terminal: plain text, colour only when asked. */
export function formatRunbookText(rb: Runbook, opts: TextFormatOptions = {}): string {
  const width = opts.width ?? 100;
  const paint = (t: string, st: Style) => (opts.color ? `${ANSI[st][0]}${t}${ANSI[st][1]}` : t);
  const rich = (r: Rich) => r.map((s) => span(s, paint)).join('');
  const sev = rb.severity === 'critical' ? 'red' : rb.severity === 'warning' ? 'yellow' : 'green';
  const out: string[] = [];
  out.push(`${paint(paint(rb.severity.toUpperCase(), sev), 'bold')}  ${paint(plain(rb.title), 'bold')}`);
  const meta = [
    rb.service && `service ${plain(rb.service)}`,
    `incident ${plain(rb.incidentId)}`,
    rb.status !== 'unknown' && rb.status,
  ];
  out.push(paint(meta.filter(Boolean).join(' · '), 'dim'), '');
  out.push(wrap(rich(rb.summary), width), '');
  const links = runbookLinks(rb);
  if (links.length > 0) out.push(...links.map(([label, url]) => paint(`${label}: ${plain(url)}`, 'dim')), '');
  for (const b of rb.blocks) out.push(...block(b, { width, paint, rich }), '');
  const labels = Object.entries(rb.labels);
  if (labels.length > 0)
    out.push(paint(`Alert labels: ${labels.map(([k, v]) => `${plain(k)}=${plain(v)}`).join(', ')}`, 'dim'));
  return `${out.join('\n').trimEnd()}\n`;
}

interface Fmt {
  width: number;
  paint: (t: string, st: Style) => string;
  rich: (r: Rich) => string;
}

function heading(h: string | undefined, f: Fmt): string[] {
  return h === undefined ? [] : [f.paint(plain(h).toUpperCase(), 'bold')];
}

function codeLines(code: string, f: Fmt, indent: string): string[] {
  return code.split('\n').map((l) => `${indent}${f.paint(plain(l), 'code')}`);
}

function evidenceLine(e: EvidenceRow, f: Fmt): string {
  const mark =
    e.passed === null ? f.paint('?', 'yellow') : e.passed ? f.paint('✓', 'green') : f.paint('✗', 'red');
  return `  ${mark} ${f.paint(plain(e.value), 'bold')}  ${plain(e.label)}  ${f.paint(`(${plain(e.fact)} ${plain(e.comparison)})`, 'dim')}`;
}

function block(b: Block, f: Fmt): string[] {
  switch (b.kind) {
    case 'text':
      return [
        ...heading(b.heading, f),
        ...b.paragraphs.flatMap((p, i) =>
          i === 0 ? [wrap(f.rich(p), f.width)] : ['', wrap(f.rich(p), f.width)],
        ),
      ];
    case 'list':
      return [...heading(b.heading, f), ...b.items.map((i) => `  - ${wrap(f.rich(i), f.width, '    ')}`)];
    case 'evidence':
      return [...heading(b.heading, f), ...b.rows.map((e) => evidenceLine(e, f))];
    case 'steps':
      return [
        ...heading(b.heading, f),
        ...b.steps.flatMap((s, i) => [
          `  ${i + 1}. ${wrap(f.rich(s.text), f.width, '     ')}`,
          ...(s.code ? codeLines(s.code.code, f, '       ') : []),
        ]),
      ];
    case 'code':
      return [...heading(b.heading, f), ...codeLines(b.code, f, '    ')];
    case 'links':
      return [
        ...heading(b.heading, f),
        ...b.links.map((l) => `  - ${plain(l.label)}: ${f.paint(plain(l.url), 'underline')}`),
      ];
    case 'chart':
      return [
        ...heading(b.heading ?? b.chart.title, f),
        ...chartSparklines(b.chart).map((l) => `  ${plain(l)}`),
      ];
    default:
      return assertNever(b, 'block');
  }
}
