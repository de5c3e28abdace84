import type { ParseResult } from '../types.js';
import { GctraceAccumulator, type GctraceParseOptions } from './gctrace-accumulator.js';
import type { GctraceLog } from './types.js';

export type { GctraceParseOptions } from './gctrace-accumulator.js';

/** Incremental parser: feed chunks of any size as they are read, then call `end()` once. */
export interface GctraceParser {
  /** Strings are taken as UTF-8 text; bytes (e.g. `fs.createReadStream` chunks) are scanned as they are. */
  push(chunk: string | Uint8Array): void;
  /** Parses the last line (even without a final newline) and returns the result. Later pushes are ignored. */
  end(): ParseResult<GctraceLog>;
}

/**
 * A line longer than this is application output (or garbage), never gctrace: it is counted and
 * skipped instead of being held in memory while we wait for its end.
 */
const MAX_LINE_BYTES = 1 << 20;
const NEWLINE = Buffer.from('\n');

/**
 * Streaming GODEBUG=gctrace=1 parser for logs too large to hold as one string. It keeps only
 * the last 10 000 GcCycle objects by default (`keepLast`); `cycleCount`, `series` and the other
 * counts still cover the whole log. Memory stays bounded: the carried partial line, the window,
 * and the series (capped at `seriesCap` points).
 */
export function createGctraceParser(options: GctraceParseOptions = {}): GctraceParser {
  const acc = new GctraceAccumulator({ keepLast: 10_000, ...options });
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let overlong = false;
  let ended = false;

  const keep = (piece: Buffer): void => {
    if (overlong) return;
    if (carryBytes + piece.length > MAX_LINE_BYTES) {
      overlong = true;
      carry = [];
      carryBytes = 0;
      return;
    }
    carry.push(Buffer.from(piece));
    carryBytes += piece.length;
  };
  /** The carried start of a line plus its end (`tail` ends with the newline, or is the sentinel). */
  const flushCarry = (tail: Buffer): void => {
    if (overlong) {
      overlong = false;
      acc.warn(++acc.lineNo, `line longer than ${MAX_LINE_BYTES} bytes was skipped`);
      return;
    }
    const line = Buffer.concat([...carry, tail]);
    carry = [];
    carryBytes = 0;
    acc.lines(line, 0);
  };

  return {
    push(chunk) {
      if (ended) {
        acc.warn(undefined, 'data pushed after end() was ignored');
        return;
      }
      const b =
        typeof chunk === 'string'
          ? Buffer.from(chunk, 'utf8')
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      let p = 0;
      if (carryBytes > 0 || overlong) {
        const nl = b.indexOf(0x0a);
        if (nl === -1) {
          keep(b);
          return;
        }
        flushCarry(b.subarray(0, nl + 1));
        p = nl + 1;
      }
      p = acc.lines(b, p);
      if (p < b.length) keep(b.subarray(p));
    },
    end() {
      if (!ended) {
        ended = true;
        if (carryBytes > 0 || overlong) flushCarry(NEWLINE);
      }
      return acc.finish();
    },
  };
}

/**
 * Parses a whole GODEBUG=gctrace=1 log (a bundle's `gctrace.log`): every `gc N @…` line of Go
 * 1.6–1.24, `GC forced` lines, scavenger lines, and the same wrapped by a log collector (CRI,
 * docker json-file, JSON log lines with `msg`/`message`/`log`) or behind a prefix
 * (`2026-11-25T10:00:00Z app | gc 12 @…`). Other lines are counted in `otherLines`; a gctrace line
 * that is cut or garbled gives a warning with its line number and is skipped. Keeps every cycle
 * unless `keepLast` says otherwise. Never throws on bad data.
 */
export function parseGctrace(text: string, options: GctraceParseOptions = {}): ParseResult<GctraceLog> {
  const parser = createGctraceParser({ keepLast: Infinity, ...options });
  parser.push(text);
  return parser.end();
}

/**
 * Parses a log as it is read, chunk by chunk (`fs.createReadStream`, or one archive entry's bytes):
 * memory stays bounded whatever the size of the log. The defaults suit an incident bundle: the
 * series (thinned past `seriesCap` points) and totals cover every cycle; only the last `keepLast`
 * (64) cycle objects are kept, for the figures that need consecutive cycles at full resolution.
 */
export async function parseGctraceChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: GctraceParseOptions = {},
): Promise<ParseResult<GctraceLog> & { bytes: number }> {
  const parser = createGctraceParser({ keepLast: BUNDLE_KEEP_LAST, ...options });
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += chunk.byteLength;
    parser.push(chunk);
  }
  return { ...parser.end(), bytes };
}

/** Cycle objects a streamed bundle log keeps (the recent pacing figures read the last ten). */
export const BUNDLE_KEEP_LAST = 64;
