/**
 * Hand-written scanner for one `gc N @Ts P%: …` line, on bytes.
 *
 * This is the hot path of the gctrace parser: a long-running service can leave gigabytes of
 * gctrace. A regex per line plus `readline` runs at about 30–55× the speed of `wc -l`; scanning
 * the read buffer with byte compares and hand-rolled number parsing stays near 10× (see
 * bench/gctrace.ts). The layout it accepts is the print statement of `gcMarkTermination` in
 * golang/go: src/runtime/mgc.go (identical text in Go 1.18–1.24), and the ≤1.17 form without the
 * `MB stacks` / `MB globals` fields:
 *
 *   gc 12 @3.410s 5%: 0.061+12+0.087 ms clock, 0.49+3.0/23/4.1+0.70 ms cpu,
 *     512->530->260 MB, 520 MB goal, 1 MB stacks, 0 MB globals, 8 P (forced)
 *
 * The digit loops are written out at each field on purpose. Folding them into a `digits(b, i)`
 * helper that leaves the value in a module slot was measured at 39% slower on bench/gctrace.ts
 * (182 ms against 131 ms for 1M lines), which is the difference between ~10× and ~14× `wc -l`.
 *
 * Caller contract: `b[end]` exists and is not a digit (a `\n`, a `\r`, or an appended sentinel),
 * so digit loops stop without a bounds check.
 */

/** Indices into the scratch row the scanner fills. Sizes are MiB as printed; times are ms or s. */
export const F_NUM = 0;
export const F_AT = 1;
export const F_CPU = 2;
export const F_WALL0 = 3;
export const F_WALL1 = 4;
export const F_WALL2 = 5;
export const F_HEAP0 = 6;
export const F_HEAP1 = 7;
export const F_HEAP2 = 8;
export const F_GOAL = 9;
/** -1 when the line has no stacks/globals fields (Go ≤1.17). */
export const F_STACKS = 10;
export const F_GLOBALS = 11;
export const F_PROCS = 12;
export const F_FORCED = 13;
export const GC_FIELDS = 14;

/** The bytes are not a gctrace line (no `gc N @` at the start): an application line. */
export const GC_NOT_GC = -1;

const L_CLOCK = ascii(' ms clock, ');
const L_CPU = ascii(' ms cpu, ');
const L_MB = ascii(' MB, ');
const L_GOAL = ascii(' MB goal, ');
const L_STACKS = ascii(' MB stacks, ');
const L_GLOBALS = ascii(' MB globals, ');
const L_FORCED = ascii(' (forced)');

function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let k = 0; k < s.length; k++) out[k] = s.charCodeAt(k);
  return out;
}

/**
 * Position after the literal `l` when the bytes at `i` match it, else -1. Only bytes 0, 1, 4,
 * n-2 and n-1 are compared: a full byte loop was the costliest part of the scan (a third of it),
 * and these bytes already tell every literal of the line apart and catch a cut line. The
 * numbers between literals are always checked digit by digit.
 */
function lit(b: Uint8Array, i: number, end: number, l: Uint8Array): number {
  const n = l.length;
  if (i + n > end) return -1;
  if (
    b[i] !== l[0] ||
    b[i + 1] !== l[1] ||
    b[i + 4] !== l[4] ||
    b[i + n - 2] !== l[n - 2] ||
    b[i + n - 1] !== l[n - 1]
  ) {
    return -1;
  }
  return i + n;
}

/**
 * Scans `b[start, end)`, which must begin with `gc `. Fills `out[o …]` and returns 0 on success;
 * returns GC_NOT_GC when the text is not `gc <digits> @`; otherwise returns the 1-based column
 * where the line stops matching (a truncated or garbled gctrace line).
 */
export function scanGcLine(b: Uint8Array, start: number, end: number, out: Float64Array, o: number): number {
  let i = start + 3;
  let c = b[i]!;
  let n = 0;
  let d = 1;
  let j = 0;
  if (c < 48 || c > 57) return GC_NOT_GC;
  do {
    n = n * 10 + c - 48;
    c = b[++i]!;
  } while (c >= 48 && c <= 57);
  if (c !== 32 || b[i + 1] !== 64) return GC_NOT_GC;
  out[o + F_NUM] = n;
  i += 2;
  // `@3.410s`: seconds, three decimals (itoaDiv). n / 10^k of exact integers rounds like parseFloat.
  c = b[i]!;
  if (c < 48 || c > 57) return i - start + 1;
  n = 0;
  do {
    n = n * 10 + c - 48;
    c = b[++i]!;
  } while (c >= 48 && c <= 57);
  if (c === 46) {
    c = b[++i]!;
    while (c >= 48 && c <= 57) {
      n = n * 10 + c - 48;
      d *= 10;
      c = b[++i]!;
    }
  }
  out[o + F_AT] = n / d;
  if (c !== 115 || b[i + 1] !== 32) return i - start + 1;
  i += 2;
  c = b[i]!;
  if (c < 48 || c > 57) return i - start + 1;
  n = 0;
  do {
    n = n * 10 + c - 48;
    c = b[++i]!;
  } while (c >= 48 && c <= 57);
  if (c !== 37 || b[i + 1] !== 58 || b[i + 2] !== 32) return i - start + 1;
  out[o + F_CPU] = n;
  i += 3;
  // Wall clock `a+b+c` (fmtNSAsMS: whole ms from 10 ms, else up to 3 decimals).
  for (let k = 0; k < 3; k++) {
    if (k > 0) {
      if (b[i] !== 43) return i - start + 1;
      i++;
    }
    c = b[i]!;
    if (c < 48 || c > 57) return i - start + 1;
    n = 0;
    d = 1;
    do {
      n = n * 10 + c - 48;
      c = b[++i]!;
    } while (c >= 48 && c <= 57);
    if (c === 46) {
      c = b[++i]!;
      while (c >= 48 && c <= 57) {
        n = n * 10 + c - 48;
        d *= 10;
        c = b[++i]!;
      }
    }
    out[o + F_WALL0 + k] = n / d;
  }
  j = lit(b, i, end, L_CLOCK);
  if (j < 0) return i - start + 1;
  i = j;
  // CPU `a+b/c/d+e`: not part of GcCycle, so it is skipped as one run of `+,-./0-9` (bytes
  // 43–57, one range test per byte); the ` ms cpu, ` literal after it still has to match.
  if (b[i]! < 48 || b[i]! > 57) return i - start + 1;
  do c = b[++i]!;
  while (c >= 43 && c <= 57);
  j = lit(b, i, end, L_CPU);
  if (j < 0) return i - start + 1;
  i = j;
  // Heap `H0->H1->H2 MB`.
  for (let k = 0; k < 3; k++) {
    if (k > 0) {
      if (b[i] !== 45 || b[i + 1] !== 62) return i - start + 1;
      i += 2;
    }
    c = b[i]!;
    if (c < 48 || c > 57) return i - start + 1;
    n = 0;
    do {
      n = n * 10 + c - 48;
      c = b[++i]!;
    } while (c >= 48 && c <= 57);
    out[o + F_HEAP0 + k] = n;
  }
  j = lit(b, i, end, L_MB);
  if (j < 0) return i - start + 1;
  i = j;
  c = b[i]!;
  if (c < 48 || c > 57) return i - start + 1;
  n = 0;
  do {
    n = n * 10 + c - 48;
    c = b[++i]!;
  } while (c >= 48 && c <= 57);
  out[o + F_GOAL] = n;
  j = lit(b, i, end, L_GOAL);
  if (j < 0) return i - start + 1;
  i = j;
  c = b[i]!;
  if (c < 48 || c > 57) return i - start + 1;
  n = 0;
  do {
    n = n * 10 + c - 48;
    c = b[++i]!;
  } while (c >= 48 && c <= 57);
  if (c === 32 && b[i + 1] === 80) {
    // Go ≤1.17: `…, 5 MB goal, 8 P`.
    out[o + F_STACKS] = -1;
    out[o + F_GLOBALS] = -1;
    out[o + F_PROCS] = n;
  } else {
    out[o + F_STACKS] = n;
    j = lit(b, i, end, L_STACKS);
    if (j < 0) return i - start + 1;
    i = j;
    c = b[i]!;
    if (c < 48 || c > 57) return i - start + 1;
    n = 0;
    do {
      n = n * 10 + c - 48;
      c = b[++i]!;
    } while (c >= 48 && c <= 57);
    out[o + F_GLOBALS] = n;
    j = lit(b, i, end, L_GLOBALS);
    if (j < 0) return i - start + 1;
    i = j;
    c = b[i]!;
    if (c < 48 || c > 57) return i - start + 1;
    n = 0;
    do {
      n = n * 10 + c - 48;
      c = b[++i]!;
    } while (c >= 48 && c <= 57);
    out[o + F_PROCS] = n;
    if (c !== 32 || b[i + 1] !== 80) return i - start + 1;
  }
  i += 2;
  out[o + F_FORCED] = 0;
  if (i < end && b[i] === 32) {
    j = lit(b, i, end, L_FORCED);
    if (j >= 0) {
      i = j;
      out[o + F_FORCED] = 1;
    }
  }
  // Trailing blanks (a collector's padding) are harmless; anything else means a garbled line.
  while (i < end && (b[i] === 32 || b[i] === 9)) i++;
  return i === end ? 0 : i - start + 1;
}
