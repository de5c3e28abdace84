/**
 * Protobuf wire-format primitives for decode-profile.ts: a bounds-checked cursor and a
 * typed-array number list. Wire format: https://protobuf.dev/programming-guides/encoding/.
 */
import { InputError } from '../../errors.js';

/**
 * The decoder met bytes that are not a well-formed Profile message. `parseHeapProfile` turns it
 * into a warning; only direct callers of `decodeProfile` see it.
 */
export class ProfileDecodeError extends InputError {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super('MT_ERR_PPROF_DECODE', `${message} at byte ${offset}`);
    this.name = 'ProfileDecodeError';
  }
}

/**
 * Append-only list of numbers in a typed array (off the JS heap, so the garbage collector
 * never copies it).
 */
export class NumberList {
  data: Float64Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(capacity, 16));
  }
  push(v: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = v;
  }
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    const next = new Float64Array(Math.max(this.data.length * 2, this.length + extra));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** One cursor over the whole buffer; every read is bounds-checked against the enclosing message's end. */
export class Cursor {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  /**
   * Unsigned varint as a JS number (exact below 2^53, approximate above). Up to 4 bytes the
   * arithmetic stays in small integers: before the optimiser kicks in, every intermediate
   * double is a heap allocation.
   */
  varint(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos < end) {
      let b = buf[pos++]!;
      if (b < 0x80) return ((this.pos = pos), b); // tags, lengths, ids: mostly one byte
      if (pos + 3 <= end) {
        let r = b & 0x7f;
        b = buf[pos++]!;
        r |= (b & 0x7f) << 7;
        if (b < 0x80) return ((this.pos = pos), r);
        b = buf[pos++]!;
        r |= (b & 0x7f) << 14;
        if (b < 0x80) return ((this.pos = pos), r);
        b = buf[pos++]!;
        r |= (b & 0x7f) << 21;
        if (b < 0x80) return ((this.pos = pos), r);
        return this.varintTail(r, pos, end);
      }
    }
    return this.varintTail(0, this.pos, end, 0);
  }

  /** Bytes from `pos` on, added to the `shift`-bit prefix `low` (0 or 28 bits). */
  private varintTail(low: number, pos: number, end: number, shift = 28): number {
    const buf = this.buf;
    let result = low;
    let mul = 2 ** shift;
    for (let i = shift / 7; i < 10; i++) {
      if (pos >= end) throw new ProfileDecodeError('truncated varint', pos);
      const b = buf[pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
      mul *= 0x80;
    }
    throw new ProfileDecodeError('varint longer than 10 bytes', pos);
  }

  /** int64 varint: two's complement, so negatives arrive as 10-byte varints (rare: exact via BigInt). */
  int64(end: number): number {
    const start = this.pos;
    const v = this.varint(end);
    if (this.pos - start <= 7) return v; // < 2^49: exact as a double
    let big = 0n;
    for (let i = this.pos - 1; i >= start; i--) big = (big << 7n) | BigInt(this.buf[i]! & 0x7f);
    return Number(BigInt.asIntN(64, big));
  }

  /** Reads a length prefix; returns the end offset of the payload. */
  lengthEnd(end: number): number {
    const len = this.varint(end);
    const stop = this.pos + len;
    if (stop > end) throw new ProfileDecodeError(`length ${len} runs past the end of the message`, this.pos);
    return stop;
  }

  skip(wireType: number, end: number): void {
    if (wireType === 0) this.varint(end);
    else if (wireType === 2) this.pos = this.lengthEnd(end);
    else if (wireType === 1 || wireType === 5) {
      const n = wireType === 1 ? 8 : 4;
      if (this.pos + n > end) throw new ProfileDecodeError('truncated fixed-width field', this.pos);
      this.pos += n;
    } else throw new ProfileDecodeError(`unsupported wire type ${wireType}`, this.pos);
  }
}
