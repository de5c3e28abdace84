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

/**
 * Largest `cmdline` a sample keeps: every kept sample holds its own, so without a bound 4096 samples
 * of ~1 MiB lines would hold ~4 GiB. os.Args of a real service is far below either.
 */
const MAX_CMDLINE_ARGS = 1024;
const MAX_CMDLINE_CHARS = 64 * 1024;

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
      const chars = (cmdline as string[]).reduce((n, arg) => n + arg.length, 0);
      if (cmdline.length <= MAX_CMDLINE_ARGS && chars <= MAX_CMDLINE_CHARS) {
        sample.cmdline = cmdline as string[];
      } else {
        warn(
          warnings,
          line,
          `cmdline has ${cmdline.length} arguments, ${chars} characters (over ${MAX_CMDLINE_ARGS} or ${MAX_CMDLINE_CHARS}); dropped`,
        );
      }
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
 * Most samples a memstats.jsonl parse keeps. A day at one sample a second is 86,400 lines of ~5 KiB;
 * past this many the parse keeps every 2nd, then every 4th… sample (first and last always kept), so
 * memory stays bounded whatever the file's size while every fact (slopes, later-half medians, counter
 * rates between kept samples) still spans the whole window.
 */
export const MEMSTATS_MAX_SAMPLES = 4096;

/**
 * Longest memstats.jsonl line read: 1 MiB. A `/debug/vars` body with MemStats (PauseNs, BySize) is
 * 5–10 KiB; user-published vars can add more, but not this much in any service we know.
 */
const MAX_LINE_BYTES = 1 << 20;

/** Line warnings kept per file; the rest are counted in one closing warning. */
const MAX_LINE_WARNINGS = 100;

/**
 * The bundle's `memstats.jsonl`: one `{"ts": <unix ms>, "vars": <raw /debug/vars JSON>}` per line,
 * fed a line at a time (or in chunks of bytes) so the file never has to be held as text. A line
 * that is not JSON, or has no usable `ts`, is skipped with a warning naming its line; a bad field is
 * dropped with a warning and the rest of its line is kept. Samples come back sorted by ts (a
 * warning says so when the file was out of order), thinned to MEMSTATS_MAX_SAMPLES.
 */
export class ExpvarJsonlParser {
  private samples: MemStatsSample[] = [];
  private readonly warnings: ParseWarning[] = [];
  private droppedWarnings = 0;
  private lineNo = 0;
  private previousTs = -Infinity;
  private firstOutOfOrder: number | undefined;
  /** Keep one accepted sample in `stride`; `pending` is the latest one skipped (kept at the end). */
  private stride = 1;
  private accepted = 0;
  private pending: MemStatsSample | undefined;
  private readonly decoder = new TextDecoder();
  /** Bytes of a line that began in an earlier chunk (copied: the reader reuses its buffer). */
  private carry: Uint8Array[] = [];
  private carryBytes = 0;

  constructor(private readonly maxSamples = MEMSTATS_MAX_SAMPLES) {}

  /**
   * Feeds raw bytes; lines may span chunks. Lines are cut at the newline byte (UTF-8 never uses it
   * inside a character) and decoded one by one, so no chunk-sized string is ever made: large strings
   * live outside V8's young generation and pile up until a full GC.
   */
  push(chunk: Uint8Array): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      this.completeLine(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      // An over-long line is counted, not kept: only its length matters for the warning.
      if (this.carryBytes <= MAX_LINE_BYTES) this.carry.push(rest.slice());
      this.carryBytes += rest.length;
    }
  }

  private completeLine(tail: Uint8Array): void {
    const length = this.carryBytes + tail.length;
    if (length > MAX_LINE_BYTES) {
      this.lineNo++;
      this.warn(this.lineNo, `line is ${length} bytes long, over the ${MAX_LINE_BYTES}-byte limit; skipped`);
    } else if (this.carry.length === 0) {
      this.line(this.decoder.decode(tail));
    } else {
      const whole = new Uint8Array(length);
      let at = 0;
      for (const part of [...this.carry, tail]) {
        whole.set(part, at);
        at += part.length;
      }
      this.line(this.decoder.decode(whole));
    }
    this.carry = [];
    this.carryBytes = 0;
  }

  /** Feeds one line (without its newline). */
  line(raw: string): void {
    const lineNo = ++this.lineNo;
    const line = raw.trim();
    if (line === '') return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      this.warn(lineNo, `not valid JSON (${errorMessage(error)}); line skipped`);
      return;
    }
    if (!isObject(record)) {
      this.warn(lineNo, 'not a JSON object; line skipped');
      return;
    }
    const ts = record['ts'];
    if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0) {
      this.warn(lineNo, `ts is ${describeBadValue(ts)}, not unix milliseconds; line skipped`);
      return;
    }
    if (ts < this.previousTs && this.firstOutOfOrder === undefined) this.firstOutOfOrder = lineNo;
    this.previousTs = Math.max(this.previousTs, ts);
    const lineWarnings: ParseWarning[] = [];
    const sample: MemStatsSample = { ts, ...readVars(record['vars'], lineWarnings, lineNo) };
    for (const w of lineWarnings) this.warn(w.line, w.message);
    this.keep(sample);
  }

  end(): ParseResult<MemStatsSample[]> {
    if (this.carryBytes > 0) this.completeLine(new Uint8Array(0));
    const samples = this.pending === undefined ? this.samples : [...this.samples, this.pending];
    this.pending = undefined;
    if (this.firstOutOfOrder !== undefined) {
      this.warn(
        this.firstOutOfOrder,
        'timestamps out of order (first earlier ts on this line); samples sorted by ts',
        true,
      );
      samples.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0)); // Array.prototype.sort is stable
    }
    if (this.stride > 1)
      this.warn(
        undefined,
        `${this.accepted.toLocaleString('en-US')} samples; kept every ${this.stride}th (and the last) to bound memory`,
        true,
      );
    if (this.droppedWarnings > 0)
      this.warnings.push({
        message: `${this.droppedWarnings.toLocaleString('en-US')} more line problems not listed`,
      });
    return { value: samples, warnings: this.warnings };
  }

  private keep(sample: MemStatsSample): void {
    const index = this.accepted++;
    if (index % this.stride !== 0) {
      this.pending = sample;
      return;
    }
    this.pending = undefined;
    this.samples.push(sample);
    if (this.samples.length >= this.maxSamples) {
      // Halve: keep the samples on the doubled stride; the latest one, if dropped, waits as pending.
      const latest = sample;
      this.samples = this.samples.filter((_, i) => i % 2 === 0);
      if (this.samples.at(-1) !== latest) this.pending = latest;
      this.stride *= 2;
    }
  }

  private warn(line: number | undefined, message: string, always = false): void {
    if (!always && this.warnings.length >= MAX_LINE_WARNINGS) {
      this.droppedWarnings++;
      return;
    }
    warn(this.warnings, line, message);
  }
}

/** A whole memstats.jsonl held as text (tests, small files); see ExpvarJsonlParser. */
export function parseExpvarJsonl(text: string): ParseResult<MemStatsSample[]> {
  const parser = new ExpvarJsonlParser();
  for (const line of text.split('\n')) parser.line(line);
  return parser.end();
}

/** memstats.jsonl streamed from disk: memory bounded by MEMSTATS_MAX_SAMPLES, not the file. */
export async function parseExpvarChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<ParseResult<MemStatsSample[]> & { bytes: number }> {
  const parser = new ExpvarJsonlParser();
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += chunk.byteLength;
    parser.push(chunk);
  }
  return { ...parser.end(), bytes };
}
