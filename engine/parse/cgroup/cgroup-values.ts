import { clip, safeInteger } from '../proc/parse-flat-keyed.js';
import type { ParseWarning } from '../types.js';

/**
 * v1 reports "no limit" as PAGE_COUNTER_MAX * PAGE_SIZE (mm/memcontrol.c; PAGE_COUNTER_MAX is
 * LONG_MAX / PAGE_SIZE): 9223372036854771712 with 4 KiB pages, 9223372036854710272 with 64 KiB
 * pages. Anything from 2^62 up is treated as unlimited, as cgroup-v1/memory.rst readers do:
 * no machine has 4 EiB of memory, and it covers every page size.
 */
const UNLIMITED_FROM = 2n ** 62n;

export interface ValueRead<T> {
  value?: T;
  warnings: ParseWarning[];
}

/**
 * Read a single-value cgroup file (memory.usage_in_bytes, memory.current, memory.failcnt, …).
 * With `allowMax`, the v2 word "max" and the v1 near-2^63 value both mean unlimited (null).
 */
export function readSingleValue(text: string, file: string, allowMax: true): ValueRead<number | null>;
export function readSingleValue(text: string, file: string, allowMax?: false): ValueRead<number>;
export function readSingleValue(text: string, file: string, allowMax = false): ValueRead<number | null> {
  const warnings: ParseWarning[] = [];
  const lines = text.split('\n');
  const first = (lines[0] ?? '').trim();
  const extra = lines.findIndex((l, i) => i > 0 && l.trim() !== '');
  if (extra > 0)
    warnings.push({ line: extra + 1, message: `${file}: unexpected extra content after the value; ignored` });
  if (first === '') {
    warnings.push({ line: 1, message: `${file}: empty` });
    return { warnings };
  }
  if (allowMax && first === 'max') return { value: null, warnings };
  if (!/^\d+$/.test(first)) {
    warnings.push({ line: 1, message: `${file}: expected a non-negative integer, got "${clip(first, 40)}"` });
    return { warnings };
  }
  if (allowMax) return { value: limitFromDigits(first, file, warnings), warnings };
  const n = safeInteger(first);
  if (n === undefined) {
    warnings.push({
      line: 1,
      message: `${file}: ${first} exceeds 2^53 and cannot be represented exactly; dropped`,
    });
    return { warnings };
  }
  return { value: n, warnings };
}

/** A limit given as decimal digits: null when it means unlimited (≥ 2^62), else bytes. */
export function limitFromDigits(
  digits: string,
  file: string,
  warnings: ParseWarning[],
): number | null | undefined {
  // Past 40 digits the value is far above 2^62 (and BigInt's parse of it superlinear).
  if (digits.length > 40 && !digits.startsWith('0')) return null;
  const big = BigInt(digits);
  if (big >= UNLIMITED_FROM) return null;
  const n = safeInteger(digits);
  if (n === undefined) {
    warnings.push({ message: `${file}: limit ${digits} exceeds 2^53 but is below 2^62; dropped` });
  }
  return n;
}
