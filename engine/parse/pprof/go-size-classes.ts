/**
 * Go allocator sizes, for reading object sizes in a heap profile.
 *
 * Each heap-profile record is keyed by (stack, object size): `mProf_Malloc` buckets by size
 * (src/runtime/mprof.go), and `mallocgc` reports the rounded size — the size class for small
 * objects, whole 8 KiB pages for large ones (src/runtime/malloc.go). Go writes that size as the
 * sample's numeric label `bytes` (src/runtime/pprof/protomem.go).
 */

/** Small-object size classes of Go 1.19 (src/runtime/sizeclasses.go; unchanged through 1.23). */
const SIZE_CLASSES = [
  8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416,
  448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200,
  3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384,
  18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
];

/** `_MaxSmallSize`: larger objects get their own span, rounded up to whole pages. */
export const MAX_SMALL_SIZE = 32768;
const PAGE_SIZE = 8192;

/** Go's `roundupsize`: the bytes `mallocgc` really hands out for a request of `size` bytes. */
export function roundUpSize(size: number): number {
  if (size <= MAX_SMALL_SIZE) {
    for (const c of SIZE_CLASSES) if (c >= size) return c;
  }
  return Math.ceil(size / PAGE_SIZE) * PAGE_SIZE;
}

/**
 * Bucket sizes a Go (≤1.23) map bucket can have on 64-bit: 8 tophash bytes, 8 keys, 8 values
 * and an overflow pointer; keys and values above 128 bytes are stored as pointers
 * (`maxKeySize`/`maxElemSize` in src/runtime/map.go), so 16 ≤ size ≤ 2064, a multiple of 8.
 */
export const MIN_BUCKET_BYTES = 16;
export const MAX_BUCKET_BYTES = 2064;

/**
 * Bytes of the bucket array `makeBucketArray(t, B)` allocates for a map with 2^B buckets and
 * bucket size `bucketBytes`: for B ≥ 4 it adds 2^(B-4) preallocated overflow buckets, and the
 * allocation is rounded by the allocator (src/runtime/map.go `makeBucketArray`).
 */
export function bucketArrayBytes(bucketBytes: number, b: number): number {
  const n = b >= 4 ? 2 ** b + 2 ** (b - 4) : 2 ** b;
  return roundUpSize(bucketBytes * n);
}

/**
 * Bucket sizes for which `objectBytes` is *exactly* a large map bucket array, i.e.
 * `objectBytes = bucketBytes × 17 × 2^(B-4)` with B ≥ 4 and no allocator rounding. Go's map
 * growth doubles B, so a growing map leaves a trail of such objects (8 MiB, 20 MiB, 40 MiB…).
 * Returns every plausible bucket size (the decomposition is not unique: 144×2^k = 72×2^(k+1)).
 *
 * Only objects above 32 KiB are tested: below that, size classes make any size "match".
 * Power-of-two bucket sizes are not accepted: a bucket is 8 × (2 + keySize + valueSize)
 * bytes, a power of two only when keySize + valueSize ≡ 2 (mod 4) (int16-sized fields, e.g.
 * `map[byte]byte`), which real maps rarely are — while slices grown by `append` often land on
 * 17 × 2^n bytes (pub-no-memlimit's `c.order = append(…)` holds a 557 056-byte = 17 × 2^15 array).
 * Failure modes: such rare maps are missed; a large slice whose page count is 17 × (odd ≥ 3)
 * × 2^n with a small odd part still matches, roughly 1 in 17 of arbitrary lengths.
 */
export function exactBucketArrayShapes(objectBytes: number): number[] {
  if (!(objectBytes > MAX_SMALL_SIZE) || objectBytes % 17 !== 0) return [];
  const perSeventeenth = objectBytes / 17; // bucketBytes × 2^(B-4)
  const shapes: number[] = [];
  for (let pow = 1; pow <= perSeventeenth; pow *= 2) {
    if (perSeventeenth % pow !== 0) break;
    const bucket = perSeventeenth / pow;
    const powerOfTwo = (bucket & (bucket - 1)) === 0;
    if (bucket % 8 === 0 && !powerOfTwo && bucket >= MIN_BUCKET_BYTES && bucket <= MAX_BUCKET_BYTES) {
      shapes.push(bucket);
    }
  }
  return shapes;
}

/** True when `objectBytes` is a bucket array (any B, rounded) or one bucket of the given size. */
export function isBucketAllocation(objectBytes: number, bucketBytes: number): boolean {
  for (let b = 0; b <= 40; b++) {
    const size = bucketArrayBytes(bucketBytes, b);
    if (size === objectBytes) return true;
    if (size > objectBytes) return false;
  }
  return false;
}
