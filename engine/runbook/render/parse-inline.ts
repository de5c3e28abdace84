import type { Rich, Span } from '../types.js';
import { LITERAL_CLOSE, LITERAL_OPEN, PLACEHOLDER_MARK } from './literal.js';

interface Ch {
  c: string;
  /** Came from an interpolated value: never markup. */
  lit: boolean;
}

function chars(s: string): Ch[] {
  const out: Ch[] = [];
  let lit = false;
  for (const c of s) {
    if (c === LITERAL_OPEN) lit = true;
    else if (c === LITERAL_CLOSE) lit = false;
    else if (c !== PLACEHOLDER_MARK) out.push({ c, lit });
  }
  return out;
}

const isMark = (cs: readonly Ch[], i: number, m: string) =>
  [...m].every((c, k) => cs[i + k]?.c === c && cs[i + k]?.lit === false);

function find(cs: readonly Ch[], from: number, m: string): number {
  for (let i = from; i < cs.length; i++) if (isMark(cs, i, m)) return i;
  return -1;
}

const text = (cs: readonly Ch[], a: number, b: number) =>
  cs
    .slice(a, b)
    .map((x) => x.c)
    .join('');

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
  while (i < cs.length) {
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
  flush(cs.length);
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
