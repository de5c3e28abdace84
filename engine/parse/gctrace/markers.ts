/**
 * Where gctrace-family text can begin inside a line: `gc `, `scav `, `scvg`, `GC forced`, each at the start of the line or after a non-word byte (so `pgc 3` or `rescav `
 * do not count). Byte compares only; callers guarantee `b[end]` is a line break, so a compare
 * that runs past `end` fails on it.
 */
export const NO_MARKER = 0;
export const MARKER_GC = 1;
export const MARKER_SCAVENGE = 2;
export const MARKER_FORCED = 3;

function isWordByte(c: number | undefined): boolean {
  return (
    c !== undefined && ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x5f)
  );
}

const GC_FORCED = 'GC forced';

/** The marker starting at `b[i]`, for a line `b[start, end)`. */
export function markerAt(b: Uint8Array, i: number, start: number, end: number): number {
  const c = b[i];
  if (!isMarkerStart(c)) return NO_MARKER;
  if (i !== start && isWordByte(b[i - 1])) return NO_MARKER;
  if (c === 0x67) return b[i + 1] === 0x63 && b[i + 2] === 0x20 ? MARKER_GC : NO_MARKER;
  if (c === 0x73) {
    if (b[i + 1] !== 0x63) return NO_MARKER;
    const c2 = b[i + 2];
    if (c2 === 0x61 && b[i + 3] === 0x76 && b[i + 4] === 0x20) return MARKER_SCAVENGE;
    if (c2 === 0x76 && b[i + 3] === 0x67) return MARKER_SCAVENGE;
    return NO_MARKER;
  }
  if (end - i < GC_FORCED.length) return NO_MARKER;
  for (let k = 1; k < GC_FORCED.length; k++) if (b[i + k] !== GC_FORCED.charCodeAt(k)) return NO_MARKER;
  return MARKER_FORCED;
}

/** True when `c` can start a marker (`g`, `s`, `G`): the cheap test to make before calling markerAt. */
export function isMarkerStart(c: number | undefined): boolean {
  return c === 0x67 || c === 0x73 || c === 0x47;
}

/** True when any marker occurs in `b[start, end)`. */
export function hasMarker(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    if (isMarkerStart(b[i]) && markerAt(b, i, start, end) !== NO_MARKER) return true;
  }
  return false;
}
