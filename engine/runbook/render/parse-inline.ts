import type { Rich, Span } from '../types.js';
import { LITERAL_CLOSE, LITERAL_OPEN, PLACEHOLDER_MARK } from './literal.js';

/**
 * The text without the literal markers, and for each of its UTF-16 units whether it came from an
 * interpolated value: never markup. (Marks are ASCII, so scanning units finds what scanning code
 * points would, and slices between marks are the same text.)
 */
interface Chars {
  t: string;
  lit: Uint8Array;
}

const OPEN = LITERAL_OPEN.charCodeAt(0);
const CLOSE = LITERAL_CLOSE.charCodeAt(0);
const MARK = PLACEHOLDER_MARK.charCodeAt(0);

function chars(s: string): Chars {
  const parts: string[] = [];
  const flags: number[] = [];
  let inLiteral = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== OPEN && c !== CLOSE && c !== MARK) continue;
    if (i > start) {
      parts.push(s.slice(start, i));
      flags.push(inLiteral, i - start);
    }
    if (c === OPEN) inLiteral = 1;
    else if (c === CLOSE) inLiteral = 0;
    start = i + 1;
  }
  if (start === 0) return { t: s, lit: new Uint8Array(s.length) };
  if (s.length > start) {
    parts.push(s.slice(start));
    flags.push(inLiteral, s.length - start);
  }
  const t = parts.join('');
  const lit = new Uint8Array(t.length);
  for (let k = 0, at = 0; k < flags.length; k += 2) {
    const n = flags[k + 1]!;
    if (flags[k] === 1) lit.fill(1, at, at + n);
    at += n;
  }
  return { t, lit };
}

/** The template's own (non-literal) characters at `i` spell `m`. */
function isMark(cs: Chars, i: number, m: string): boolean {
  if (i + m.length > cs.t.length) return false;
  for (let k = 0; k < m.length; k++) {
    if (cs.t.charCodeAt(i + k) !== m.charCodeAt(k) || cs.lit[i + k] !== 0) return false;
  }
  return true;
}

/** The first `m` of the template's own text at or after `from`, or -1. */
function find(cs: Chars, from: number, m: string): number {
  for (let i = cs.t.indexOf(m, from); i !== -1; i = cs.t.indexOf(m, i + 1)) if (isMark(cs, i, m)) return i;
  return -1;
}

const text = (cs: Chars, a: number, b: number) => cs.t.slice(a, b);

/** Whitespace runs (newlines included) read as one space: inline text has no line structure. */
const squash = (s: string) => s.replace(/\s+/g, ' ');

export function isHttpUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>"]+$/i.test(url);
}

/**
 * Parses one paragraph of rendered template text into spans. The template's own text may use a
 * small CommonMark subset — `**strong**`, `` `code` ``, `[label](https://…)` — and nothing else;
 * characters that came from interpolated values are never read as markup. A link whose URL is not
 * http(s) becomes plain text.
 */
export function parseInline(s: string): Rich {
  const cs = chars(s);
  const spans: Span[] = [];
  const push = (span: Span) => {
    if (span.text === '') return;
    const prev = spans[spans.length - 1];
    if (span.kind === 'text' && prev?.kind === 'text')
      spans[spans.length - 1] = { kind: 'text', text: prev.text + span.text };
    else spans.push(span);
  };
  let buf = 0;
  const flush = (to: number) => {
    push({ kind: 'text', text: squash(text(cs, buf, to)) });
  };
  let i = 0;
  while (i < cs.t.length) {
    // Every mark starts with one of these three: skip other characters without looking further.
    const c = cs.t.charCodeAt(i);
    if (c !== 0x60 && c !== 0x2a && c !== 0x5b) {
      i++;
      continue;
    }
    if (isMark(cs, i, '`')) {
      const end = find(cs, i + 1, '`');
      if (end > i) {
        flush(i);
        push({ kind: 'code', text: squash(text(cs, i + 1, end)) });
        i = buf = end + 1;
        continue;
      }
    } else if (isMark(cs, i, '**')) {
      const end = find(cs, i + 2, '**');
      if (end > i + 2) {
        flush(i);
        push({ kind: 'strong', text: squash(text(cs, i + 2, end)) });
        i = buf = end + 2;
        continue;
      }
    } else if (isMark(cs, i, '[')) {
      const mid = find(cs, i + 1, '](');
      const end = mid < 0 ? -1 : find(cs, mid + 2, ')');
      if (end > 0) {
        flush(i);
        const label = squash(text(cs, i + 1, mid)).trim();
        const url = text(cs, mid + 2, end).trim();
        if (isHttpUrl(url)) push({ kind: 'link', text: label || url, url });
        else push({ kind: 'text', text: label });
        i = buf = end + 1;
        continue;
      }
    }
    i++;
  }
  flush(cs.t.length);
  return trimRich(spans);
}

function trimRich(spans: Span[]): Rich {
  const first = spans[0];
  if (first?.kind === 'text') spans[0] = { kind: 'text', text: first.text.trimStart() };
  const li = spans.length - 1;
  const last = spans[li];
  if (last?.kind === 'text') spans[li] = { kind: 'text', text: last.text.trimEnd() };
  return spans.filter((s) => s.text !== '');
}

/** The spans as plain text (for titles, fallbacks and length budgets). */
export function richToPlain(rich: Rich): string {
  return rich.map((s) => s.text).join('');
}
