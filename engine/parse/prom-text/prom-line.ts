import type { PromSample } from './types.js';

/**
 * One sample line of the Prometheus text format: `name{label="value",…} value [timestamp] [# exemplar]`.
 * Label values escape `\\`, `\"` and `\n` (prometheus/common: expfmt/text_parse.go). Split out of
 * parse-prom-text.ts so the line grammar can be read on its own.
 */

/** Bad input on one line; parsePromText catches it per line and turns it into a warning. */
export class LineProblem extends Error {}

/**
 * Unambiguous on purpose: `\d+\.?\d*` (the form this replaced) lets the two digit runs split a
 * long number in n ways, and a 100 KB `111…1e` took seconds to be refused. Here every character
 * has one place to go, so a failing match is linear.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58; // A-Z a-z _ :
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}
export function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Go's strconv.ParseFloat as the text format uses it: decimals, `NaN`, `[+-]Inf(inity)`, any case. */
export function parsePromFloat(token: string): number | undefined {
  if (DECIMAL.test(token)) return Number(token);
  switch (token.toLowerCase()) {
    case 'nan':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    default:
      return undefined;
  }
}

/** A cursor over one line. */
export class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.i >= this.s.length;
  }
  peek(): number {
    return this.s.charCodeAt(this.i);
  }
  skipBlanks(): void {
    while (this.i < this.s.length && isBlank(this.s.charCodeAt(this.i))) this.i++;
  }
  identifier(labelName = false): string {
    const start = this.i;
    if (this.i < this.s.length && isNameStart(this.peek()) && !(labelName && this.peek() === 58)) this.i++;
    while (this.i < this.s.length && isNameChar(this.peek()) && !(labelName && this.peek() === 58)) this.i++;
    return this.s.slice(start, this.i);
  }
  token(): string {
    const start = this.i;
    while (this.i < this.s.length && !isBlank(this.peek())) this.i++;
    return this.s.slice(start, this.i);
  }
  /** A `"…"` string with `\\`, `\"` and `\n` escapes; the cursor is on the opening quote. */
  quoted(onOddEscape: (seq: string) => void): string {
    this.i++;
    let out = '';
    let from = this.i;
    while (this.i < this.s.length) {
      const c = this.peek();
      if (c === 34) {
        out += this.s.slice(from, this.i);
        this.i++;
        return out;
      }
      if (c === 92) {
        out += this.s.slice(from, this.i);
        const next = this.s[this.i + 1];
        if (next === undefined) break;
        if (next === 'n') out += '\n';
        else if (next === '\\' || next === '"') out += next;
        else {
          onOddEscape(`\\${next}`);
          out += `\\${next}`;
        }
        this.i += 2;
        from = this.i;
        continue;
      }
      this.i++;
    }
    throw new LineProblem('unterminated quoted string');
  }
}

function parseLabels(
  cur: Cursor,
  sample: { name: string; labels: Record<string, string> },
  odd: (seq: string) => void,
): void {
  cur.i++; // '{'
  for (;;) {
    cur.skipBlanks();
    if (cur.done) throw new LineProblem('labels not closed with `}`');
    if (cur.peek() === 125) {
      cur.i++;
      return;
    }
    let labelName: string;
    if (cur.peek() === 34) labelName = cur.quoted(odd);
    else labelName = cur.identifier(true);
    cur.skipBlanks();
    if (labelName === '') throw new LineProblem(`expected a label name at column ${cur.i + 1}`);
    if (cur.peek() !== 61) {
      // Prometheus 3: a lone quoted string inside the braces is the metric name.
      if (sample.name === '' && (cur.peek() === 44 || cur.peek() === 125)) sample.name = labelName;
      else throw new LineProblem(`expected \`=\` after label ${labelName}`);
    } else {
      cur.i++;
      cur.skipBlanks();
      if (cur.peek() !== 34) throw new LineProblem(`label ${labelName}: value is not quoted`);
      const value = cur.quoted(odd);
      if (Object.prototype.hasOwnProperty.call(sample.labels, labelName)) {
        throw new LineProblem(`label ${labelName} given twice`);
      }
      sample.labels[labelName] = value;
    }
    cur.skipBlanks();
    if (cur.peek() === 44) cur.i++;
    else if (cur.peek() !== 125) throw new LineProblem(`expected \`,\` or \`}\` at column ${cur.i + 1}`);
  }
}

export interface RawSample extends PromSample {
  /** The timestamp token was not an integer (OpenMetrics seconds, or garbage for 0.0.4). */
  fractionalTs?: boolean;
}

export function parsePromSampleLine(line: string, odd: (seq: string) => void): RawSample {
  const cur = new Cursor(line);
  cur.skipBlanks();
  const sample: RawSample = { name: '', labels: Object.create(null) as Record<string, string>, value: 0 };
  if (cur.peek() !== 123) {
    sample.name = cur.identifier();
    if (sample.name === '') throw new LineProblem('expected a metric name');
    cur.skipBlanks();
  }
  if (cur.peek() === 123) {
    parseLabels(cur, sample, odd);
    if (sample.name === '') throw new LineProblem('no metric name');
  }
  cur.skipBlanks();
  const valueToken = cur.token();
  if (valueToken === '') throw new LineProblem(`${sample.name}: no value`);
  const value = parsePromFloat(valueToken);
  if (value === undefined)
    throw new LineProblem(`${sample.name}: value ${JSON.stringify(valueToken.slice(0, 40))} is not a number`);
  sample.value = value;
  cur.skipBlanks();
  if (cur.done || cur.peek() === 35) return sample; // end, or an exemplar (` # {…} v [ts]`), ignored
  const tsToken = cur.token();
  const ts = parsePromFloat(tsToken);
  if (ts === undefined || !Number.isFinite(ts))
    throw new LineProblem(
      `${sample.name}: timestamp ${JSON.stringify(tsToken.slice(0, 40))} is not a number`,
    );
  sample.timestampMs = ts;
  if (!INTEGER.test(tsToken)) sample.fractionalTs = true;
  cur.skipBlanks();
  if (!cur.done && cur.peek() !== 35)
    throw new LineProblem(`${sample.name}: unexpected text after the timestamp`);
  return sample;
}
