/**
 * Marks for the text a template renders. Values interpolated with `{{…}}` are wrapped in
 * LITERAL_OPEN/LITERAL_CLOSE, so the inline parser never reads markup (`**`, backticks, links)
 * out of alert-supplied strings; blocks emitted by helpers leave a BLOCK_OPEN index BLOCK_CLOSE
 * marker where they belong. All four are Unicode private-use characters, removed from every input
 * string first, so no input can forge them.
 */
export const LITERAL_OPEN = '\uE000';
export const LITERAL_CLOSE = '\uE001';
export const BLOCK_OPEN = '\uE002';
export const BLOCK_CLOSE = '\uE003';
/**
 * Prefix of a `<placeholder>` the template itself wrote as a string literal (`{{or target.pid
 * "<pid>"}}`; wrap-literals adds it). Only such a placeholder is left unquoted in a shell command,
 * for the reader to substitute; the same text arriving in a label or a fact is quoted like any value.
 */
export const PLACEHOLDER_MARK = '\uE004';
/** What a placeholder looks like: `<pid>`, `<host:port>`. */
export const PLACEHOLDER = /^<[A-Za-z0-9 _:./-]+>$/;

const MARKS = /[\uE000-\uE004]/g;
/**
 * C0/C1 controls other than tab and line breaks (an ESC in a label must not reach a terminal), the
 * bidirectional overrides and isolates that make text read differently from what it is, and what
 * XML 1.0 cannot carry (U+FFFE, U+FFFF, lone surrogates: an SVG chart with one fails to render).
 */
const CONTROLS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/**
 * Line breaks and tabs. A value is always one line: a newline in a label would start a new
 * paragraph, list item or step when the runbook's markup is parsed, and would make a quoted shell
 * word look like several commands.
 */
const BREAKS = /[\t\n\r\u2028\u2029]+/g;

/** An untrusted string made safe to carry through rendering: no marks, no control characters. */
export function cleanText(s: string): string {
  return s.replace(MARKS, '').replace(CONTROLS, '');
}

/** An interpolated value: cleaned, and on one line. */
export function cleanValue(s: string): string {
  return cleanText(s).replace(BREAKS, ' ');
}

/** A placeholder the template wrote (see PLACEHOLDER_MARK); a value from outside never is one. */
export function isTemplatePlaceholder(s: string): boolean {
  return s.startsWith(PLACEHOLDER_MARK) && PLACEHOLDER.test(s.slice(1));
}

/** Wrap an interpolated value so the inline parser keeps it literal. */
export function literal(s: string): string {
  const text = isTemplatePlaceholder(s) ? `${PLACEHOLDER_MARK}${s.slice(1)}` : cleanValue(s);
  return `${LITERAL_OPEN}${text}${LITERAL_CLOSE}`;
}

/** The text with literal marks removed (for code, titles and headings, which have no markup). */
export function stripLiteralMarks(s: string): string {
  return s.replace(/[\uE000\uE001\uE004]/g, '');
}

export function blockMarker(index: number): string {
  return `${BLOCK_OPEN}${index}${BLOCK_CLOSE}`;
}

/** Splits rendered text into text pieces and block indexes, in order. */
export function splitBlockMarkers(s: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\uE002(\d+)\uE003/g;
  let last = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    if (m.index > last) out.push(s.slice(last, m.index));
    out.push(Number(m[1]));
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}
