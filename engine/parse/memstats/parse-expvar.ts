import type { ParseResult, ParseWarning } from '../types.js';
import { MEMSTATS_FIELDS, acceptMemStatsValue, describeBadValue } from './memstats-fields.js';
import type { MemStatsFields, MemStatsSample } from './types.js';

/**
 * Parsers for Go's expvar `/debug/vars` body (golang/go: src/expvar/expvar.go). The body is one JSON
 * object: `memstats` is `json.Marshal(runtime.MemStats)` (keys are the Go field names), `cmdline` is
 * os.Args, and anything else is a user-published var. `goroutines` is not published by expvar itself;
 * services (and the capture harness behind examples/incidents) publish `runtime.NumGoroutine()` under
 * that name, so it is read when present.
 */

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function warn(warnings: ParseWarning[], line: number | undefined, message: string): void {
  warnings.push(line === undefined ? { message } : { line, message });
}

/** Reads one `/debug/vars` object into a sample (without ts). `line` is used for warnings only. */
function readVars(vars: unknown, warnings: ParseWarning[], line: number | undefined): MemStatsSample {
  const stats: Partial<MemStatsFields> = {};
  const sample: MemStatsSample = { stats };
  if (!isObject(vars)) {
    warn(warnings, line, `vars is ${describeBadValue(vars)}, not a JSON object`);
    return sample;
  }
  const memstats = vars['memstats'];
  if (memstats === undefined) {
    warn(warnings, line, 'vars has no memstats');
  } else if (!isObject(memstats)) {
    warn(warnings, line, `vars.memstats is ${describeBadValue(memstats)}, not a JSON object`);
  } else {
    for (const field of MEMSTATS_FIELDS) {
      const value = memstats[field];
      if (value === undefined) continue; // older Go versions lack some fields
      acceptMemStatsValue(stats, field, value, warnings, line, 'memstats.');
    }
  }
  const goroutines = vars['goroutines'];
  if (goroutines !== undefined) {
    if (typeof goroutines === 'number' && Number.isInteger(goroutines) && goroutines >= 0) {
      sample.goroutines = goroutines;
    } else {
      warn(warnings, line, `goroutines is ${describeBadValue(goroutines)}, not a count; dropped`);
    }
  }
  const cmdline = vars['cmdline'];
  if (cmdline !== undefined) {
    if (Array.isArray(cmdline) && cmdline.every((arg) => typeof arg === 'string')) {
      sample.cmdline = cmdline as string[];
    } else {
      warn(warnings, line, 'cmdline is not an array of strings; dropped');
    }
  }
  return sample;
}

/** V8 reports `... at position N` for most JSON syntax errors; turn that into a 1-based line. */
function jsonErrorLine(text: string, error: unknown): number | undefined {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (!match) return undefined;
  const position = Math.min(Number(match[1]), text.length);
  let line = 1;
  for (let i = 0; i < position; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One raw `/debug/vars` body, as fetched by live collection. `ts` (unix ms) is the time of the fetch.
 * Invalid JSON yields an empty sample and a warning (with the line when V8 names a position).
 */
export function parseExpvarBody(json: string, ts?: number): ParseResult<MemStatsSample> {
  const warnings: ParseWarning[] = [];
  let vars: unknown;
  try {
    vars = JSON.parse(json);
  } catch (error) {
    warn(warnings, jsonErrorLine(json, error), `not valid JSON: ${errorMessage(error)}`);
    const value: MemStatsSample = { stats: {} };
    if (ts !== undefined) value.ts = ts;
    return { value, warnings };
  }
  const sample = readVars(vars, warnings, undefined);
  const value: MemStatsSample = ts === undefined ? sample : { ts, ...sample };
  return { value, warnings };
}

/**
 * The bundle's `memstats.jsonl`: one `{"ts": <unix ms>, "vars": <raw /debug/vars JSON>}` per line.
 * A line that is not JSON, or has no usable `ts`, is skipped with a warning naming its line; a bad
 * field is dropped with a warning and the rest of its line is kept. Samples come back sorted by ts
 * (a warning says so when the file was out of order).
 */
export function parseExpvarJsonl(text: string): ParseResult<MemStatsSample[]> {
  const warnings: ParseWarning[] = [];
  const samples: MemStatsSample[] = [];
  const lines = text.split('\n');
  let firstOutOfOrder: number | undefined;
  let previousTs = -Infinity;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      warn(warnings, lineNo, `not valid JSON (${errorMessage(error)}); line skipped`);
      continue;
    }
    if (!isObject(record)) {
      warn(warnings, lineNo, 'not a JSON object; line skipped');
      continue;
    }
    const ts = record['ts'];
    if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0) {
      warn(warnings, lineNo, `ts is ${describeBadValue(ts)}, not unix milliseconds; line skipped`);
      continue;
    }
    if (ts < previousTs && firstOutOfOrder === undefined) firstOutOfOrder = lineNo;
    previousTs = Math.max(previousTs, ts);
    samples.push({ ts, ...readVars(record['vars'], warnings, lineNo) });
  }
  if (firstOutOfOrder !== undefined) {
    warn(
      warnings,
      firstOutOfOrder,
      'timestamps out of order (first earlier ts on this line); samples sorted by ts',
    );
    samples.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0)); // Array.prototype.sort is stable
  }
  return { value: samples, warnings };
}
