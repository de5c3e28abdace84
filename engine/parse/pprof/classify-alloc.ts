import { frameKind } from './frame-tables.js';
import { MAX_SMALL_SIZE, exactBucketArrayShapes, isBucketAllocation } from './go-size-classes.js';
import { ALLOC_KINDS } from './types.js';
import type { AllocKind, HeapProfile } from './types.js';

/** What the classifier needs to know about one heap-profile sample. */
export interface AllocSample {
  /**
   * Function names of the frames that did the allocating, innermost first: from the leaf up
   * to and including the allocation site (the whole stack when it is runtime-only).
   */
  frames: readonly string[];
  /** The allocation site's source line (any key, e.g. function and `file:line`); samples on one line share what is learned there. */
  siteLine: string | number;
  /** Size of each object of the sample (Go's numeric label `bytes`), when known. */
  objectBytes?: number;
}

/**
 * Decides map | slice | string | stack | other for each sample. The rules, first match wins:
 *
 * 1. **Frames.** Walk the frames from the leaf to the site; the first one listed in
 *    frame-tables.ts names the kind (`bytes.growSlice` → slice, `fmt.Sprintf` → string,
 *    `runtime.malg` → stack, `internal/runtime/maps.*` / `reflect.mapassign` → map,
 *    `runtime.makemap`/`growslice`/… when the stack is runtime-only or written by another tool).
 * 2. **Exact map bucket array.** The object is larger than 32 KiB and its size is exactly
 *    `bucket × (2^B + 2^(B-4))` for a plausible, non-power-of-two bucket size
 *    (go-size-classes.ts). Go's map growth allocates precisely these arrays; in Go's own
 *    profiles the `hashGrow` frames are hidden, so this size is the only trace map growth
 *    leaves (pub-map-leak: 40 108 032 = 144 × (2^18 + 2^14) at `remember`). The object size is
 *    the sample's `bytes` label, exact per sample because Go keys records by stack *and* size.
 * 3. **Same line, same buckets.** On a source line where rule 2 found a bucket array, other
 *    objects whose size is a (rounded) bucket array or a single bucket of that bucket size are
 *    the same map's smaller arrays and overflow buckets (`newoverflow`).
 * 4. **Large object → slice.** Any other object above 32 KiB (its own span) is counted as a
 *    slice backing array: in Go code that is what large objects nearly always are.
 * 5. Everything else is `other` (structs, small objects of unknown type, channels, timers).
 *
 * Where this is wrong, knowingly:
 * - Small maps (fewer than ~2^14 buckets, where page rounding hides the exact shape) and the
 *   single 1-bucket arrays of tiny maps fall to `slice` (if > 32 KiB) or `other`, unless rule 3
 *   applies (pub-gc-thrash's per-query maps in `main.route` count as slice; pub-healthy-go's
 *   6-entry `Regions` maps as other). A map leak is a large map, so its big arrays are caught.
 * - Maps with power-of-two buckets (int16-sized keys/values, e.g. `map[byte]byte`) are missed.
 * - A large slice whose page count is divisible by 17 with a small odd part (~1 in 17 of
 *   arbitrary lengths; never a power of two) is taken for a map by rule 2.
 * - Large strings, large arrays allocated with `new([N]T)`, big structs and big channel
 *   buffers count as slices by rule 4.
 * - Small `make([]T, n)` and string conversions called directly from user code carry no frame
 *   signal (hideRuntime drops `runtime.makeslice`, `runtime.slicebytetostring`) and are `other`.
 * - Objects kept alive by leaked goroutines are charged to whatever allocated them; `stack`
 *   covers only the `g` descriptors from `runtime.malg`, not goroutine stacks (not heap).
 * - Go 1.24+ Swiss-table maps are recognised by their `internal/runtime/maps.*` frames
 *   (package layout, not yet checked on a real 1.24 profile); rules 2–3 describe ≤1.23 maps.
 */
export function classifyAlloc(samples: readonly AllocSample[]): AllocKind[] {
  return classifyBySize(
    samples.map((s) => kindFromFrames(s.frames)),
    samples.map((s) => s.siteLine),
    samples.map((s) => s.objectBytes ?? NaN),
  );
}

/**
 * Rules 2–5 above for the samples whose frames named no kind (`frameKinds[i]` undefined);
 * columnar, for profiles with tens of thousands of samples. `siteLines[i]` is any key that is
 * equal for samples on the same source line; `objectBytes[i]` is NaN when unknown.
 */
export function classifyBySize(
  frameKinds: ReadonlyArray<AllocKind | undefined>,
  siteLines: ArrayLike<string | number>,
  objectBytes: ArrayLike<number>,
): AllocKind[] {
  const kinds = frameKinds.slice();
  const learned = new Map<string | number, number[]>();
  for (let i = 0; i < kinds.length; i++) {
    const size = objectBytes[i]!;
    if (kinds[i] !== undefined || !(size > MAX_SMALL_SIZE)) continue;
    const shapes = exactBucketArrayShapes(size);
    if (shapes.length === 0) continue;
    kinds[i] = 'map';
    const line = siteLines[i]!;
    learned.set(line, [...(learned.get(line) ?? []), ...shapes]);
  }
  const out = new Array<AllocKind>(kinds.length);
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i];
    const size = objectBytes[i]!;
    if (k !== undefined) out[i] = k;
    else if (!(size > 0)) out[i] = 'other';
    else if (learned.get(siteLines[i]!)?.some((b) => isBucketAllocation(size, b))) out[i] = 'map';
    else out[i] = size > MAX_SMALL_SIZE ? 'slice' : 'other';
  }
  return out;
}

const frameKindCache = new Map<string, AllocKind | null>();

/** Rule 1: the kind named by the first telling frame (innermost first), or undefined. */
export function kindFromFrames(frames: readonly string[]): AllocKind | undefined {
  for (const name of frames) {
    let k = frameKindCache.get(name);
    if (k === undefined) {
      k = frameKind(name) ?? null;
      if (frameKindCache.size < 100_000) frameKindCache.set(name, k);
    }
    if (k !== null) return k;
  }
  return undefined;
}

/**
 * Share of in-use bytes per kind (0..1), or undefined when the profile holds no in-use bytes
 * (an absent fact, not a zero one).
 */
export function inuseShareByKind(profile: HeapProfile): Record<AllocKind, number> | undefined {
  const total = profile.totals.inuseBytes;
  if (profile.valid === false || !(total > 0)) return undefined;
  const out = {} as Record<AllocKind, number>;
  for (const k of ALLOC_KINDS) out[k] = profile.inuseBytesByKind[k] / total;
  return out;
}
