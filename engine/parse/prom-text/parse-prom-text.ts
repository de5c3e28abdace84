import { isOverlong, overlongLine } from '../line-cap.js';
import type { ParseResult, ParseWarning } from '../types.js';
import { Cursor, LineProblem, isBlank, parsePromSampleLine, type RawSample } from './prom-line.js';
import type { PromExposition, PromFamily, PromSample } from './types.js';

/**
 * Prometheus text exposition format 0.0.4 (prometheus/docs: content/docs/instrumenting/exposition_formats.md;
 * prometheus/common: expfmt/text_parse.go), read leniently enough for OpenMetrics 1.0 text too:
 * `# EOF`, `# UNIT`, `_created` samples, exemplars after ` # `, timestamps in seconds, and the
 * Prometheus 3 quoted (UTF-8) names `{"my.metric", label="x"}`. Hand-written, one pass with a
 * character cursor: a 1 MB cAdvisor-sized scrape parses in roughly 30–60 ms.
 */

const MAX_WARNINGS = 200;
const TYPES: Record<string, PromFamily['type']> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  summary: 'summary',
  untyped: 'untyped',
  unknown: 'untyped', // OpenMetrics spelling of untyped
};
const OPENMETRICS_ONLY_TYPES = new Set(['info', 'stateset', 'gaugehistogram']);

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n|")/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function seriesKey(s: PromSample): string {
  const keys = Object.keys(s.labels).sort();
  let key = s.name;
  for (const k of keys) key += `\u0000${k}\u0001${s.labels[k]}`;
  return key;
}

/**
 * Parses one scrape. Never throws: a line that cannot be read is skipped with a warning naming it,
 * and the rest of the scrape is kept. Duplicate series keep their first sample.
 */
export function parsePromText(text: string): ParseResult<PromExposition> {
  const warnings: ParseWarning[] = [];
  let dropped = 0;
  const warn = (line: number, message: string): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push({ line, message });
    else dropped++;
  };
  const samples: RawSample[] = [];
  const sampleLines: number[] = [];
  const families = new Map<string, PromFamily>();
  const seen = new Map<string, number>();
  const family = (name: string): PromFamily => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name }));
    return f;
  };
  let eofLine: number | undefined;
  let afterEofWarned = false;

  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    let line = lines[n] ?? '';
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (isOverlong(line)) {
      const w = overlongLine(lineNo, line.length);
      warn(lineNo, w.message);
      continue;
    }
    const cur = new Cursor(line);
    cur.skipBlanks();
    if (cur.done) continue;
    if (eofLine !== undefined) {
      if (!afterEofWarned) warn(lineNo, 'content after `# EOF`; ignored');
      afterEofWarned = true;
      continue;
    }
    const odd = (seq: string): void =>
      warn(lineNo, `unknown escape ${seq} in a quoted string; kept as written`);
    if (cur.peek() === 35) {
      cur.i++;
      if (!cur.done && !isBlank(cur.peek())) continue; // `#comment`
      cur.skipBlanks();
      const keyword = cur.token();
      if (keyword === 'EOF') {
        eofLine = lineNo;
        continue;
      }
      if (keyword !== 'HELP' && keyword !== 'TYPE' && keyword !== 'UNIT') continue; // plain comment
      cur.skipBlanks();
      let name: string;
      try {
        name = cur.peek() === 34 ? cur.quoted(odd) : cur.identifier();
      } catch {
        name = '';
      }
      if (name === '') {
        warn(lineNo, `# ${keyword} without a metric name; ignored`);
        continue;
      }
      cur.skipBlanks();
      const rest = line.slice(cur.i);
      const f = family(name);
      if (keyword === 'HELP') {
        if (f.help !== undefined) warn(lineNo, `second # HELP for ${name}; kept the first`);
        else f.help = unescapeHelp(rest);
      } else if (keyword === 'UNIT') {
        f.unit = rest.trim();
      } else {
        const word = rest.trim().toLowerCase();
        if (f.type !== undefined || f.rawType !== undefined)
          warn(lineNo, `second # TYPE for ${name}; kept the first`);
        else if (TYPES[word]) f.type = TYPES[word];
        else if (OPENMETRICS_ONLY_TYPES.has(word)) f.rawType = word;
        else warn(lineNo, `# TYPE ${name}: unknown type ${JSON.stringify(word.slice(0, 40))}; ignored`);
      }
      continue;
    }
    let sample: RawSample;
    try {
      sample = parsePromSampleLine(line, odd);
    } catch (error) {
      if (!(error instanceof LineProblem)) throw error;
      warn(lineNo, `${error.message}; line skipped`);
      continue;
    }
    const key = seriesKey(sample);
    const first = seen.get(key);
    if (first !== undefined) {
      warn(lineNo, `duplicate series ${sample.name} (first on line ${first}); kept the first`);
      continue;
    }
    seen.set(key, lineNo);
    samples.push(sample);
    sampleLines.push(lineNo);
  }

  const openMetrics = eofLine !== undefined;
  samples.forEach((s, idx) => {
    if (s.timestampMs === undefined) return;
    if (openMetrics)
      s.timestampMs = Math.round(s.timestampMs * 1000); // OpenMetrics: seconds
    else if (s.fractionalTs) {
      warn(
        sampleLines[idx] ?? 0,
        `${s.name}: timestamp is not integer milliseconds (OpenMetrics text without # EOF?); dropped`,
      );
      delete s.timestampMs;
    }
    if (s.fractionalTs !== undefined) delete s.fractionalTs;
  });
  warnings.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  if (dropped > 0) warnings.push({ message: `${dropped} more problems not listed` });
  const value: PromExposition = { samples, families };
  if (openMetrics) value.openMetrics = true;
  return { value, warnings };
}
