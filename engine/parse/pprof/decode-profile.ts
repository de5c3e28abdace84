/**
 * A minimal protobuf reader for `perftools.profiles.Profile` that decodes only the fields a
 * heap-profile triage needs: sample types, samples (location ids, values, the numeric `bytes`
 * label), locations with their line entries, functions, the string table and `time_nanos`.
 * Everything else (mappings, comments, period, fields added by newer revisions) is skipped by
 * wire type, so unknown fields never break decoding.
 *
 * Why not `pprof-format`'s `Profile.decode`: it materialises every field of every message as
 * class instances and decodes varints above 2^28 as `bigint`. On a 16k-sample profile that is
 * most of the parse time. Here the top-level pass only records where each sample's bytes are;
 * `readSample` decodes one sample into a reused record when the caller walks them, and a
 * sample's location ids (~20 each, most of the bytes) are decoded only as far as needed.
 * Figures in bench/pprof.ts; test/parse/pprof/decode-profile.test.ts checks the result against
 * `pprof-format` on every real profile in examples/.
 *
 * Field numbers: google/pprof proto/profile.proto @00fe71aa (see formats.md §3.1). Go's
 * encoder writes repeated integers packed only when there are more than 2 of them
 * (src/runtime/pprof/protobuf.go), so both packed and unpacked forms are accepted.
 */
import { InputError } from '../../errors.js';
import { Cursor, NumberList, ProfileDecodeError } from './protobuf-cursor.js';

export { ProfileDecodeError };

/**
 * Most entries of each kind one profile may hold. A Go heap profile at MemProfileRate = 1 has
 * ~16k samples and a few ten thousand locations, functions and strings; the caps are 16–64× that.
 * They exist because entries are cheap to encode and dear to decode: an empty sample is 2 bytes
 * of protobuf (and ~0 bytes of gzip), so a 254 KB gzip held 125M of them and grew the sample
 * table to gigabytes. With the caps the decoder's own tables stay under ~100 MB.
 */
export interface ProfileLimits {
  samples: number;
  locations: number;
  /** Line entries over all locations (a location's inlined frames). */
  lines: number;
  functions: number;
  strings: number;
}

/** Values kept per sample (Go writes 4 heap types, 2 for CPU); sampleTypes is capped the same. */
const MAX_STORED_VALUES = 256;

export const PROFILE_LIMITS: Readonly<ProfileLimits> = {
  samples: 1 << 20,
  locations: 1 << 18,
  lines: 1 << 20,
  functions: 1 << 18,
  strings: 1 << 19,
};

/** A profile holds more entries of one kind than ProfileLimits allows; decoding stopped there. */
export class ProfileLimitError extends InputError {
  constructor(
    readonly kind: keyof ProfileLimits | 'sample types',
    readonly limit: number,
  ) {
    super(
      'MT_ERR_PPROF_LIMIT',
      `more than ${limit.toLocaleString('en-US')} ${kind} (a decompression bomb, or not a heap profile); decoding stopped there`,
    );
    this.name = 'ProfileLimitError';
  }
}

const utf8 = new TextDecoder('utf-8');

export interface RawLine {
  functionId: number;
  line: number;
}

export interface RawFunction {
  /** String-table indexes. */
  name: number;
  filename: number;
}

/**
 * One decoded sample; `readSample` overwrites it, so copy what you keep. "Absent" is -1, not
 * NaN, and values live in a typed array: a field or array that ever holds NaN or a fraction
 * boxes (heap-allocates) every later read until the optimiser has compiled the reader.
 */
export class SampleRecord {
  /** Values aligned with `sampleTypes`: `values[0 .. valueCount)`. */
  values = new Float64Array(8);
  valueCount = 0;
  /** Numeric label `bytes` (Go: the record's object size); -1 when absent. */
  bytesLabel = -1;
  /** Leaf location id; -1 for an empty stack. */
  leafLocation = -1;

  push(v: number): void {
    if (this.valueCount === this.values.length) {
      // Values past the sample types are only counted: a sample of millions of packed values
      // (a few bytes each) must not become a typed array of gigabytes.
      if (this.values.length >= MAX_STORED_VALUES) {
        this.valueCount++;
        return;
      }
      const next = new Float64Array(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[this.valueCount++] = v;
  }
}

/** A decoded profile; samples stay in the buffer until read (see the file comment). */
export class RawProfile {
  /** `[typeIndex, unitIndex]` pairs into `strings`. */
  sampleTypes: Array<[number, number]> = [];
  sampleCount = 0;
  /** Location id → its line entries (`lines[0]` is the innermost inlined frame). */
  locations = new Map<number, RawLine[]>();
  functions = new Map<number, RawFunction>();
  strings: string[] = [];
  timeNanos?: number;
  /** Sample i's message is `buf[sampleBounds[2i], sampleBounds[2i+1])`. */
  sampleBounds: Float64Array = new Float64Array(0);
  /** String index of `bytes` (the label Go writes), -1 when absent. */
  bytesKey = -1;
  /** Line entries over all locations (checked against ProfileLimits.lines). */
  lineCount = 0;

  private readonly cursor: Cursor;
  constructor(buf: Uint8Array) {
    this.cursor = new Cursor(buf);
  }

  /** Decodes sample i into `out`. Throws ProfileDecodeError on a malformed sample. */
  readSample(i: number, out: SampleRecord): void {
    const c = this.cursor;
    c.pos = this.sampleBounds[2 * i]!;
    const end = this.sampleBounds[2 * i + 1]!;
    out.valueCount = 0;
    out.bytesLabel = -1;
    out.leafLocation = -1;
    while (c.pos < end) {
      const tag = c.varint(end);
      if (tag === 10) {
        // packed location ids (Go: more than 2); every varint must end inside the run
        const stop = c.lengthEnd(end);
        if (stop > c.pos && c.buf[stop - 1]! >= 0x80)
          throw new ProfileDecodeError('truncated location ids', stop);
        if (stop > c.pos && out.leafLocation < 0) out.leafLocation = c.varint(stop);
        c.pos = stop;
      } else if (tag === 8) {
        const id = c.varint(end); // unpacked location id
        if (out.leafLocation < 0) out.leafLocation = id;
      } else if (tag === 18) {
        const stop = c.lengthEnd(end); // packed values
        while (c.pos < stop) out.push(c.int64(stop));
      } else if (tag === 16) {
        out.push(c.int64(end));
      } else if (tag === 26) {
        const stop = c.lengthEnd(end); // label: key (1), str (2), num (3), num_unit (4)
        let key = -1;
        let num = -1;
        while (c.pos < stop) {
          const t = c.varint(stop);
          if (t === 8) key = c.varint(stop);
          else if (t === 24) num = c.int64(stop);
          else c.skip(t & 7, stop);
        }
        if (key === this.bytesKey && key > 0) out.bytesLabel = num;
      } else c.skip(tag & 7, end);
    }
  }

  /**
   * Calls `visit` with the location ids of sample i, leaf first, until it returns true.
   * Throws ProfileDecodeError on a malformed sample.
   */
  visitLocations(i: number, visit: (id: number) => boolean): void {
    const c = this.cursor;
    c.pos = this.sampleBounds[2 * i]!;
    const end = this.sampleBounds[2 * i + 1]!;
    while (c.pos < end) {
      const tag = c.varint(end);
      if (tag === 10) {
        const stop = c.lengthEnd(end);
        while (c.pos < stop) if (visit(c.varint(stop))) return;
      } else if (tag === 8) {
        if (visit(c.varint(end))) return;
      } else c.skip(tag & 7, end);
    }
  }

  /** All location ids of sample i, leaf first. */
  locationIds(i: number): number[] {
    const ids: number[] = [];
    this.visitLocations(i, (id) => {
      ids.push(id);
      return false;
    });
    return ids;
  }
}

function readValueType(c: Cursor, end: number): [number, number] {
  let type = 0;
  let unit = 0;
  while (c.pos < end) {
    const tag = c.varint(end);
    const wt = tag & 7;
    if (tag === 8) type = c.varint(end);
    else if (tag === 16) unit = c.varint(end);
    else c.skip(wt, end);
  }
  return [type, unit];
}

function readLocation(c: Cursor, end: number, out: RawProfile, limits: ProfileLimits): void {
  let id = 0;
  const lines: RawLine[] = [];
  while (c.pos < end) {
    const tag = c.varint(end);
    const wt = tag & 7;
    if (tag === 8) id = c.varint(end);
    else if (tag === 34) {
      const stop = c.lengthEnd(end);
      const line: RawLine = { functionId: 0, line: 0 };
      while (c.pos < stop) {
        const t = c.varint(stop);
        if (t === 8) line.functionId = c.varint(stop);
        else if (t === 16) line.line = c.int64(stop);
        else c.skip(t & 7, stop);
      }
      lines.push(line);
      if (++out.lineCount > limits.lines) throw new ProfileLimitError('lines', limits.lines);
    } else c.skip(wt, end);
  }
  out.locations.set(id, lines);
  if (out.locations.size > limits.locations) throw new ProfileLimitError('locations', limits.locations);
}

function readFunction(c: Cursor, end: number, out: RawProfile, limits: ProfileLimits): void {
  let id = 0;
  const fn: RawFunction = { name: 0, filename: 0 };
  while (c.pos < end) {
    const tag = c.varint(end);
    const wt = tag & 7;
    if (tag === 8) id = c.varint(end);
    else if (tag === 16) fn.name = c.varint(end);
    else if (tag === 32) fn.filename = c.varint(end);
    else c.skip(wt, end);
  }
  out.functions.set(id, fn);
  if (out.functions.size > limits.functions) throw new ProfileLimitError('functions', limits.functions);
}

/**
 * Decodes an uncompressed Profile message: every field but the samples, whose bounds are kept
 * for `readSample`. Throws ProfileDecodeError on malformed bytes, and ProfileLimitError as soon
 * as one kind of entry passes its limit (the rest of the buffer is not read).
 */
export function decodeProfile(buf: Uint8Array, limits: ProfileLimits = PROFILE_LIMITS): RawProfile {
  const c = new Cursor(buf);
  const out = new RawProfile(buf);
  const maxBounds = 2 * limits.samples;
  const bounds = new NumberList(Math.min(buf.length >> 4, 1 << 22, maxBounds)); // ~40 bytes per Go sample
  const size = buf.length;
  while (c.pos < size) {
    const tag = c.varint(size);
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 0) throw new ProfileDecodeError('field number 0', c.pos);
    if (wt !== 2) {
      if (field === 9 && wt === 0) out.timeNanos = c.int64(size);
      else c.skip(wt, size);
      continue;
    }
    const end = c.lengthEnd(size);
    if (field === 2) {
      if (bounds.length >= maxBounds) throw new ProfileLimitError('samples', limits.samples);
      bounds.push(c.pos);
      bounds.push(end);
    } else if (field === 4) readLocation(c, end, out, limits);
    else if (field === 5) readFunction(c, end, out, limits);
    else if (field === 6) {
      if (out.strings.length >= limits.strings) throw new ProfileLimitError('strings', limits.strings);
      out.strings.push(utf8.decode(buf.subarray(c.pos, end)));
    } else if (field === 1) {
      if (out.sampleTypes.length >= MAX_STORED_VALUES)
        throw new ProfileLimitError('sample types', MAX_STORED_VALUES);
      out.sampleTypes.push(readValueType(c, end));
    }
    c.pos = end;
  }
  out.sampleBounds = bounds.view();
  out.sampleCount = bounds.length / 2;
  out.bytesKey = out.strings.indexOf('bytes');
  return out;
}
