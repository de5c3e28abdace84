/**
 * A minimal protobuf reader for `perftools.profiles.Profile` that decodes only the fields a
 * heap-profile triage needs: sample types, samples (location ids, values, the numeric `bytes`
 * label), locations with their line entries, functions, the string table and `time_nanos`.
 * Everything else (mappings, comments, period, fields added by newer revisions) is skipped by
 * wire type, so unknown fields never break decoding.
 *
 * Why not `pprof-format`'s `Profile.decode`: it materialises every field of every message as
 * class instances and decodes varints above 2^28 as `bigint`. On a 16k-sample profile that is
 * most of the parse time; this reader decodes the same data several times faster (figures in
 * bench/pprof.ts). test/parse/pprof/decode-profile.test.ts checks it against `pprof-format` on
 * every real profile in examples/.
 *
 * Field numbers: google/pprof proto/profile.proto @00fe71aa (see formats.md §3.1). Go's
 * encoder writes repeated integers packed only when there are more than 2 of them
 * (src/runtime/pprof/protobuf.go), so both packed and unpacked forms are accepted.
 */
import { Cursor, NumberList, ProfileDecodeError } from './protobuf-cursor.js';

export { ProfileDecodeError };

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
 * A decoded profile. Samples are stored flat (a `MemProfileRate = 1` profile has tens of
 * thousands): values are decoded eagerly, but location ids — ~20 per sample, most of the
 * bytes — stay in the buffer as packed runs and are decoded on demand, because finding the
 * allocation site usually needs only the first one.
 */
export class RawProfile {
  /** `[typeIndex, unitIndex]` pairs into `strings`. */
  sampleTypes: Array<[number, number]> = [];
  sampleCount = 0;
  /** Values of sample i are `values[valStart[i] .. valStart[i+1])`, aligned with `sampleTypes`. */
  valStart: number[] = [0];
  values: Float64Array = new Float64Array(0);
  /** Numeric label `bytes` per sample (Go: the record's object size); NaN when absent. */
  bytesLabel: Float64Array = new Float64Array(0);
  /** Location id → its line entries (`lines[0]` is the innermost inlined frame). */
  locations = new Map<number, RawLine[]>();
  functions = new Map<number, RawFunction>();
  strings: string[] = [];
  timeNanos?: number;

  /**
   * Location-id segments of sample i are `segStart[i] .. segStart[i+1]`; a segment is a packed
   * run `buf[segA, segB)` or, when `segB` is -1, the single id `segA` (Go writes ≤ 2 ids unpacked).
   */
  readonly segStart: number[] = [0];
  /** Leaf location id of each sample (NaN for an empty stack): most samples need no other. */
  leafLoc: Float64Array = new Float64Array(0);
  segA: Float64Array = new Float64Array(0);
  segB: Float64Array = new Float64Array(0);

  private readonly cursor: Cursor;
  constructor(buf: Uint8Array) {
    this.cursor = new Cursor(buf);
  }

  /**
   * Calls `visit` with the location ids of sample i, leaf first, until it returns true.
   * Throws ProfileDecodeError on a malformed packed run.
   */
  visitLocations(i: number, visit: (id: number) => boolean): void {
    const c = this.cursor;
    for (let s = this.segStart[i]!, end = this.segStart[i + 1]!; s < end; s++) {
      const b = this.segB[s]!;
      if (b < 0) {
        if (visit(this.segA[s]!)) return;
        continue;
      }
      c.pos = this.segA[s]!;
      while (c.pos < b) if (visit(c.varint(b))) return;
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

interface Building {
  out: RawProfile;
  values: NumberList;
  segA: NumberList;
  segB: NumberList;
  /** (sample, key, num) triples of every label. */
  labels: NumberList;
  leafLoc: NumberList;
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

function readSample(c: Cursor, end: number, b: Building): void {
  const out = b.out;
  const sample = out.sampleCount;
  while (c.pos < end) {
    const tag = c.varint(end);
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1 && wt === 2) {
      // Packed location ids: keep the byte range; every varint in it must end inside it.
      const stop = c.lengthEnd(end);
      if (stop > c.pos && c.buf[stop - 1]! >= 0x80)
        throw new ProfileDecodeError('truncated packed location ids', stop);
      b.segA.push(c.pos);
      b.segB.push(stop);
      if (b.leafLoc.length === sample && stop > c.pos) b.leafLoc.push(c.varint(stop));
      c.pos = stop;
    } else if (field === 1 && wt === 0) {
      const id = c.varint(end);
      b.segA.push(id);
      b.segB.push(-1);
      if (b.leafLoc.length === sample) b.leafLoc.push(id);
    } else if (field === 2) c.repeated(wt, end, b.values, true);
    else if (field === 3 && wt === 2) {
      // Label keys are string indexes and Go writes the string table last: keep (sample, key, num).
      const stop = c.lengthEnd(end);
      let key = -1;
      let num = NaN;
      while (c.pos < stop) {
        const t = c.varint(stop);
        if (t === 8) key = c.varint(stop);
        else if (t === 24) num = c.int64(stop);
        else c.skip(t & 7, stop);
      }
      b.labels.push(sample);
      b.labels.push(key);
      b.labels.push(num);
    } else c.skip(wt, end);
  }
  if (b.leafLoc.length === sample) b.leafLoc.push(NaN);
  out.sampleCount = sample + 1;
  out.segStart.push(b.segA.length);
  out.valStart.push(b.values.length);
}

function readLocation(c: Cursor, end: number, out: RawProfile): void {
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
    } else c.skip(wt, end);
  }
  out.locations.set(id, lines);
}

function readFunction(c: Cursor, end: number, out: RawProfile): void {
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
}

/** Decodes an uncompressed Profile message. Throws ProfileDecodeError on malformed bytes. */
export function decodeProfile(buf: Uint8Array): RawProfile {
  const c = new Cursor(buf);
  const out = new RawProfile(buf);
  const guess = Math.min(buf.length >> 5, 1 << 20); // ~1 sample per 40 bytes in Go heap profiles
  const b: Building = {
    out,
    values: new NumberList(guess * 4),
    segA: new NumberList(guess),
    segB: new NumberList(guess),
    labels: new NumberList(guess * 3),
    leafLoc: new NumberList(guess),
  };
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
    if (field === 2) readSample(c, end, b);
    else if (field === 4) readLocation(c, end, out);
    else if (field === 5) readFunction(c, end, out);
    else if (field === 6) out.strings.push(utf8.decode(buf.subarray(c.pos, end)));
    else if (field === 1) out.sampleTypes.push(readValueType(c, end));
    c.pos = end;
  }
  out.values = b.values.view();
  out.segA = b.segA.view();
  out.segB = b.segB.view();
  out.leafLoc = b.leafLoc.view();
  out.bytesLabel = new Float64Array(out.sampleCount).fill(NaN);
  const labels = b.labels.data;
  const bytesKey = out.strings.indexOf('bytes');
  for (let i = 0; i < b.labels.length; i += 3) {
    if (labels[i + 1] === bytesKey && bytesKey > 0) out.bytesLabel[labels[i]!] = labels[i + 2]!;
  }
  return out;
}
