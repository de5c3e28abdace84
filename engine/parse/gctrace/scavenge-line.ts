import type { ScavengeLine } from './types.js';

/**
 * Scavenger report lines that share stderr with gctrace. Formats over time (golang/go:
 * src/runtime/mheap.go for `scvg`, src/runtime/mgcscavenge.go `printScavTrace` for `scav`):
 *
 * - Go ≤1.12, under gctrace: `scvg3: 12 MB released` and
 *   `scvg3: inuse: 5, idle: 12, sys: 17, released: 12, consumed: 5 (MB)`;
 *   Go 1.13 prints `scvg: …` without the number, and `forced scvg: …` from debug.FreeOSMemory.
 * - Go 1.14–1.16, under scavtrace: `scav <gen> <N> KiB work, <N> KiB total, <P>% util`.
 * - Go 1.17–1.20: `scav <N> KiB work, <N> KiB total, <P>% util`.
 * - Go 1.21+: `scav <N> KiB work (bg), <N> KiB work (eager), <N> KiB now, <P>% util`.
 * Any of the `scav` forms may end in ` (forced)` or ` [controller reset]`.
 */
const MIB = 1048576;
const KIB = 1024;

const SCVG_RELEASED = /^(?:forced )?scvg-?\d*: (\d+) MB released$/;
const SCVG_INUSE =
  /^(?:forced )?scvg-?\d*: inuse: (\d+), idle: (\d+), sys: (\d+), released: (\d+), consumed: (\d+) \(MB\)$/;
const SCAV_OLD =
  /^scav (?:\d+ )?(\d+) KiB work, (\d+) KiB total, (\d+)% util(?: \(forced\)| \[controller reset\])?$/;
const SCAV_NEW =
  /^scav (\d+) KiB work \(bg\), (\d+) KiB work \(eager\), (\d+) KiB now, (\d+)% util(?: \(forced\)| \[controller reset\])?$/;

/** Matches one of the scavenger forms above, or returns undefined. `raw` is the line without line break. */
export function parseScavengeLine(raw: string, line: number): ScavengeLine | undefined {
  const text = raw.trimEnd();
  let m = SCAV_NEW.exec(text);
  if (m) {
    return {
      line,
      releasedBytes: (Number(m[1]) + Number(m[2])) * KIB,
      heapReleasedBytes: Number(m[3]) * KIB,
      raw: text,
    };
  }
  m = SCAV_OLD.exec(text);
  if (m) return { line, releasedBytes: Number(m[1]) * KIB, heapReleasedBytes: Number(m[2]) * KIB, raw: text };
  m = SCVG_RELEASED.exec(text);
  if (m) return { line, releasedBytes: Number(m[1]) * MIB, raw: text };
  m = SCVG_INUSE.exec(text);
  if (m) return { line, heapReleasedBytes: Number(m[4]) * MIB, raw: text };
  return undefined;
}

/** True when the text starts like a scavenger line, so a failed match is worth a warning. */
export function looksLikeScavengeLine(text: string): boolean {
  return /^(?:forced )?scvg-?\d*: |^scav \d/.test(text);
}
