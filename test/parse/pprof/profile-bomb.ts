import { gzipSync } from 'node:zlib';

/**
 * Bomb fixtures, written byte by byte. A Profile message's field 2 (sample) is length-delimited:
 * tag 0x12 and a zero length make an empty sample in 2 bytes, and a run of them gzips to almost
 * nothing. Concatenated gzip members inflate as one stream, so one compressed MiB is repeated.
 */
export const EMPTY_SAMPLE = Uint8Array.from([0x12, 0x00]);

/** `count` empty samples (rounded down to whole MiB members), gzipped: ~1 KB of gzip per 512Ki samples. */
export function emptySampleBomb(count: number): Buffer {
  const perMember = 2 ** 19; // 1 MiB of `12 00`
  const member = gzipSync(Buffer.alloc(2 * perMember, EMPTY_SAMPLE));
  return Buffer.concat(Array.from({ length: Math.max(1, Math.floor(count / perMember)) }, () => member));
}

/** A length-delimited field: tag, varint length, payload. */
export function field(num: number, payload: Uint8Array): Buffer {
  const len: number[] = [];
  let n = payload.length;
  while (n >= 0x80) {
    len.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  len.push(n);
  return Buffer.concat([Buffer.from([(num << 3) | 2, ...len]), payload]);
}

/** A varint field (wire type 0) with a small value. */
export function varintField(num: number, value: number): Buffer {
  return Buffer.from([num << 3, value]);
}
