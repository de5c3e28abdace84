import type { ParseWarning } from './types.js';

/**
 * Longest line the text parsers read: 64 KiB (UTF-16 code units, i.e. characters for ASCII).
 * No line of any artifact they read comes near it: a gctrace, GC-log, NMT, dmesg or /proc line is
 * under 1 KiB, and a Prometheus sample line with long label values a few KiB. A longer line is
 * garbage or an attack, so it is skipped with a warning rather than handed to a pattern. Every
 * parser is linear in its input anyway; the cap bounds the work (and the excerpt kept) per line.
 */
export const MAX_LINE_CHARS = 64 * 1024;

/** True when the line is over the cap; the caller skips it after pushing `overlongLine(...)`. */
export function isOverlong(line: string): boolean {
  return line.length > MAX_LINE_CHARS;
}

/** The warning for a skipped over-long line (1-based line number; the file is named by the caller). */
export function overlongLine(line: number, length: number): ParseWarning {
  return {
    line,
    message: `line ${line} is ${length} characters long, over the ${MAX_LINE_CHARS}-character line limit; skipped`,
  };
}
