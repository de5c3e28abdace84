import { isOverlong, overlongLine } from '../line-cap.js';
import type { ParseWarning } from '../types.js';

/**
 * The kernel's "flat keyed" text (`key value` per line), shared by /proc/vmstat, cgroup
 * memory.stat, memory.events and memory.oom_control. cgroup-v2.rst ("Interface Files"):
 * "New entries can show up in the middle", so callers read by key, never by position.
 */
export interface FlatKeyed {
  /** Values that fit in a JS number without rounding. */
  values: Record<string, number>;
  /**
   * Values above Number.MAX_SAFE_INTEGER, kept as decimal text. The v1 memory controller prints
   * an unlimited limit as PAGE_COUNTER_MAX * PAGE_SIZE (9223372036854771712 with 4 KiB pages),
   * which `Number()` would silently round to 2^63.
   */
  oversized: Record<string, string>;
  warnings: ParseWarning[];
}

const LINE = /^([A-Za-z0-9_.]+)[ \t]+(-?\d+)$/;

/** Parse `key value` lines; garbled lines become warnings naming the line (1-based). */
export function parseFlatKeyed(text: string, what: string): FlatKeyed {
  const out: FlatKeyed = { values: {}, oversized: {}, warnings: [] };
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    if (isOverlong(raw)) {
      const w = overlongLine(i + 1, raw.length);
      pushWarning(out.warnings, { ...w, message: `${what}: ${w.message}` }, what);
      return;
    }
    const line = raw.trim();
    if (line === '') return;
    const m = LINE.exec(line);
    if (!m) {
      pushWarning(
        out.warnings,
        { line: i + 1, message: `${what}: cannot read "${clip(line)}" as "key value"` },
        what,
      );
      return;
    }
    const key = m[1] as string;
    const digits = m[2] as string;
    if (key in out.values || key in out.oversized) {
      pushWarning(
        out.warnings,
        { line: i + 1, message: `${what}: key "${key}" repeated; the later value is kept` },
        what,
      );
    }
    const n = safeInteger(digits);
    if (n === undefined) {
      out.oversized[key] = digits;
      delete out.values[key];
    } else {
      out.values[key] = n;
      delete out.oversized[key];
    }
  });
  return out;
}

/** A decimal integer as a number, or undefined when it does not fit without rounding. */
export function safeInteger(digits: string): number | undefined {
  // Up to 15 digits always fits; longer strings are checked exactly with BigInt, but not past
  // 40 characters (far above 2^64, and BigInt's parse of a huge literal is superlinear).
  const length = digits.replace('-', '').length;
  if (length <= 15) return Number(digits);
  if (length > 40 && !/^-?0/.test(digits)) return undefined;
  const big = BigInt(digits);
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return big > max || big < -max ? undefined : Number(big);
}

/** Per-file cap on warnings, so a garbage file of a million lines yields a bounded list. */
export const MAX_WARNINGS = 100;

/** Push a warning unless the cap is reached; at the cap, one last warning says the rest were dropped. */
export function pushWarning(list: ParseWarning[], w: ParseWarning, what: string): void {
  if (list.length < MAX_WARNINGS) list.push(w);
  else if (list.length === MAX_WARNINGS) list.push({ message: `${what}: further warnings suppressed` });
}

/** Shorten a garbled line for a warning message. */
export function clip(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
