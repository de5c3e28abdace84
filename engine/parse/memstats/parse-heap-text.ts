import { isOverlong, overlongLine } from '../line-cap.js';
import type { ParseResult, ParseWarning } from '../types.js';
import { acceptMemStatsValue, isMemStatsField } from './memstats-fields.js';
import type { MemStatsField, MemStatsFields, MemStatsSample } from './types.js';

/**
 * `/debug/pprof/heap?debug=1` (golang/go: src/runtime/pprof/pprof.go, writeHeapInternal). The header is
 * `heap profile: <inuse objects>: <inuse bytes> [<alloc objects>: <alloc bytes>] @ heap/<2*MemProfileRate>`
 * and the text ends with a `# runtime.MemStats` trailer of `# Key = value` lines.
 */

/** Header totals. Raw sampled counts, not scaled up to the heap (the text form never scales). */
export interface HeapProfileTotals {
  inuseObjects: number;
  inuseBytes: number;
  allocObjects: number;
  allocBytes: number;
  /** runtime.MemProfileRate: the header prints `heap/<2*MemProfileRate>`. */
  memProfileRate: number;
}

/** A MemStats sample read from heap.txt, plus what only that text carries. */
export interface HeapDebugSample extends MemStatsSample {
  /** `# MaxRSS` (getrusage ru_maxrss, in bytes; Go 1.14+ on Linux, pprof_rusage.go): peak RSS of the process. */
  maxRssBytes?: number;
  /** The `heap profile:` header line, when present and well formed. */
  profile?: HeapProfileTotals;
}

const HEADER = /^heap profile: (\d+): (\d+) \[(\d+): (\d+)\] @ heap\/(\d+)\s*$/;
const TRAILER_START = '# runtime.MemStats';
const TRAILER_LINE = /^# (\w+) = (.*)$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Keys printed as `inuse / sys` (pprof.go: `# Stack = %d / %d`, and so MSpan, MCache). */
const PAIRS: Record<string, [MemStatsField, MemStatsField]> = {
  Stack: ['StackInuse', 'StackSys'],
  MSpan: ['MSpanInuse', 'MSpanSys'],
  MCache: ['MCacheInuse', 'MCacheSys'],
};
/** Printed by every Go version that has the trailer; their absence means the text was cut. */
const ALWAYS_PRINTED: readonly MemStatsField[] = [
  'Alloc',
  'HeapInuse',
  'HeapObjects',
  'NextGC',
  'NumGC',
  'GCCPUFraction',
];
/** Keys that carry no MemStats number memtriage uses. */
const IGNORED = new Set(['Lookups', 'PauseNs', 'PauseEnd', 'DebugGC', 'EnableGC']);

function toNumber(raw: string): number | string {
  const text = raw.trim();
  return NUMBER.test(text) ? Number(text) : text;
}

function readHeader(line: string, warnings: ParseWarning[]): HeapProfileTotals | undefined {
  const m = HEADER.exec(line);
  if (!m) {
    if (line.startsWith('heap profile:'))
      warnings.push({ line: 1, message: 'malformed `heap profile:` header; totals not read' });
    return undefined;
  }
  return {
    inuseObjects: Number(m[1]),
    inuseBytes: Number(m[2]),
    allocObjects: Number(m[3]),
    allocBytes: Number(m[4]),
    memProfileRate: Number(m[5]) / 2,
  };
}

/**
 * Reads the `# runtime.MemStats` trailer (and the header totals) of a heap debug=1 text. A text cut in
 * the middle of the trailer yields the fields read so far plus a warning; the last line of a text that
 * does not end in a newline is not trusted (a number cut in two still looks like a number).
 */
export function parseHeapDebugText(text: string): ParseResult<HeapDebugSample> {
  const warnings: ParseWarning[] = [];
  const stats: Partial<MemStatsFields> = {};
  const value: HeapDebugSample = { stats };
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  if (text.trim() === '') {
    warnings.push({ message: 'empty heap profile text' });
    return { value, warnings };
  }
  const first = (lines[0] ?? '').replace(/\r$/, '');
  const profile = isOverlong(first) ? undefined : readHeader(first, warnings);
  if (profile) value.profile = profile;

  const start = lines.findIndex((l) => l.replace(/\r$/, '') === TRAILER_START);
  if (start < 0) {
    warnings.push({
      message: 'no `# runtime.MemStats` trailer (text truncated, or not a debug=1 heap profile)',
    });
    return { value, warnings };
  }
  for (let i = start + 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (isOverlong(line)) {
      warnings.push(overlongLine(lineNo, line.length));
      continue;
    }
    if (line.trim() === '') continue;
    if (i === lines.length - 1 && !endsWithNewline) {
      warnings.push({
        line: lineNo,
        message: 'last line has no newline (text cut here?); its value is not used',
      });
      break;
    }
    const m = TRAILER_LINE.exec(line);
    if (!m) {
      warnings.push({ line: lineNo, message: 'not a `# Key = value` line in the MemStats trailer; skipped' });
      continue;
    }
    const key = m[1] ?? '';
    const raw = m[2] ?? '';
    if (IGNORED.has(key)) continue;
    const pair = PAIRS[key];
    if (pair) {
      const parts = raw.split('/');
      if (parts.length !== 2) {
        warnings.push({ line: lineNo, message: `${key} is not \`inuse / sys\`; dropped` });
        continue;
      }
      acceptMemStatsValue(stats, pair[0], toNumber(parts[0] ?? ''), warnings, lineNo, '');
      acceptMemStatsValue(stats, pair[1], toNumber(parts[1] ?? ''), warnings, lineNo, '');
    } else if (key === 'MaxRSS') {
      const rss = toNumber(raw);
      if (typeof rss === 'number') value.maxRssBytes = rss;
      else warnings.push({ line: lineNo, message: `MaxRSS is not a number; dropped` });
    } else if (isMemStatsField(key)) {
      acceptMemStatsValue(stats, key, toNumber(raw), warnings, lineNo, '');
    }
    // Unknown keys (newer Go versions) are ignored on purpose.
  }
  const missing = ALWAYS_PRINTED.filter((f) => stats[f] === undefined);
  if (missing.length > 0) {
    warnings.push({ message: `MemStats trailer incomplete (truncated?): missing ${missing.join(', ')}` });
  }
  return { value, warnings };
}
