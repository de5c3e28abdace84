/**
 * Sizes in NMT output: a number followed by the report scale (`KB` by default, `MB`/`GB` with
 * `scale=MB|GB`, `B` with scale=1), see `NMTUtil::scale_name` in openjdk/jdk
 * src/hotspot/share/nmt/nmtCommon.cpp. NMT's K/M/G are powers of 1024.
 */
const UNIT_BYTES: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** `<digits><unit>`; the unit group is optional and then means jcmd's default scale, KB. */
export const SIZE = String.raw`(\d+)(B|KB|MB|GB)?`;

/** Bytes for a matched SIZE pair; undefined when the number is too large to be exact. */
export function toBytes(digits: string | undefined, unit: string | undefined): number | undefined {
  if (digits === undefined) return undefined;
  const bytes = Number(digits) * (UNIT_BYTES[unit ?? 'KB'] ?? 1024);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** Bytes per unit, for tolerances expressed in report units. */
export function unitBytes(unit: string | undefined): number {
  return UNIT_BYTES[unit ?? 'KB'] ?? 1024;
}

/** `reserved=…, committed=…` optionally followed by `, peak=…` / `, readonly=…` (JDK 21+). */
export const RESERVED_COMMITTED = String.raw`reserved=${SIZE}, committed=${SIZE}(?:, [^)]*)?`;

/** What follows ` (` in a category header: `reserved=…KB, committed=…KB[, …])`. */
const CATEGORY_AMOUNTS = new RegExp(String.raw`^${RESERVED_COMMITTED}\)$`);
const CATEGORY_OPEN = ' (reserved=';

/**
 * Header of a category: `-                 Java Heap (reserved=…KB, committed=…KB)`. Found with
 * indexOf rather than one pattern: `^-\s+(.+?) \(…\)$` (the pattern this replaced) is quadratic
 * on a long run of blanks or of ` (reserved=1KB, committed=1KB, ` repeats. Returns the name and
 * the SIZE groups at [1] … [4] (reserved digits, unit, committed digits, unit).
 */
export function matchCategory(line: string): { name: string; amounts: RegExpExecArray } | undefined {
  if (line.charCodeAt(0) !== 0x2d /* - */) return undefined;
  let start = 1;
  while (start < line.length && /\s/.test(line[start]!)) start++;
  if (start === 1) return undefined;
  const open = line.indexOf(CATEGORY_OPEN, start);
  if (open <= start) return undefined;
  const name = line.slice(start, open);
  // HotSpot's categories are short words (`Java Heap`, `Arena Chunk`, `GCCardSet`: the MEMORY_TYPES
  // list in nmt/memTag.hpp); a name outside that shape is not NMT output and becomes no fact, label
  // or chart series.
  if (!CATEGORY_NAME.test(name)) return undefined;
  const amounts = CATEGORY_AMOUNTS.exec(line.slice(open + 2));
  return amounts ? { name, amounts } : undefined;
}

const CATEGORY_NAME = /^[A-Za-z][A-Za-z0-9 ._-]{0,47}$/;
/** `Total: reserved=…KB, committed=…KB` (never with diff deltas such as `+1024KB`). */
export const TOTAL = new RegExp(String.raw`^Total: reserved=${SIZE}, committed=${SIZE}(?:, peak=\S+)?$`);
/** Total sub-lines (JDK 17.0.x+/21): `malloc: 24874KB #86251[, peak=…]`, `mmap:   reserved=…, committed=…`. */
export const TOTAL_MALLOC = new RegExp(String.raw`^malloc: ${SIZE} #(\d+)(?:, peak=.*)?$`);
export const TOTAL_MMAP = new RegExp(String.raw`^mmap:\s+reserved=${SIZE}, committed=${SIZE}$`);

/** Parenthesised sub-lines under a category (each may be followed by `(at peak)` / `(peak=…)`). */
export const SUB = {
  classes: /^\(classes #(\d+)\)/,
  classKinds: /^\(\s*instance classes #(\d+), array classes #(\d+)\)/,
  threads: /^\(threads? #(\d+)\)/,
  stack: new RegExp(String.raw`^\(stack: ${RESERVED_COMMITTED}\)`),
  /** When thread stacks are malloc'd rather than mmap'd (`(Stack: 1234KB`), JDK 17. */
  mallocStack: new RegExp(String.raw`^\(Stack: ${SIZE}`),
  malloc: new RegExp(String.raw`^\(malloc=${SIZE}(?: type=\S+)?(?: #(\d+))?\)`),
  mmap: new RegExp(String.raw`^\(mmap: ${RESERVED_COMMITTED}\)`),
  arena: new RegExp(String.raw`^\(arena=${SIZE} #(\d+)\)`),
  metadata: /^\(\s*Metadata:\s*\)$/,
  classSpace: /^\(\s*Class space:\s*\)$/,
  blockTotal: new RegExp(String.raw`^\(\s+${RESERVED_COMMITTED}\)$`),
  blockUsed: new RegExp(String.raw`^\(\s+used=${SIZE}\)$`),
} as const;
