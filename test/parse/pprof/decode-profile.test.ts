import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { Cursor } from '../../../engine/parse/pprof/protobuf-cursor.js';
import {
  ProfileDecodeError,
  SampleRecord,
  decodeProfile,
} from '../../../engine/parse/pprof/decode-profile.js';

const INCIDENTS = 'examples/incidents';
/** Every real Go heap profile in the example bundles (heap.pb.gz and the pprof/ series). */
const REAL = readdirSync(INCIDENTS)
  .filter((b) => b.startsWith('pub-'))
  .flatMap((b) => {
    const dir = `${INCIDENTS}/${b}`;
    const files = readdirSync(dir);
    const series = files.includes('pprof') ? readdirSync(`${dir}/pprof`).map((f) => `${dir}/pprof/${f}`) : [];
    return [...(files.includes('heap.pb.gz') ? [`${dir}/heap.pb.gz`] : []), ...series];
  });

describe('decodeProfile', () => {
  it('finds the 37 real profiles of the 8 Go bundles (8 heap.pb.gz, 29 in pprof/)', () => {
    expect(REAL.length).toBe(37);
  });

  it.each(REAL)('decodes %s exactly as pprof-format does', (file) => {
    const raw = gunzipSync(readFileSync(file));
    const ours = decodeProfile(raw);
    const ref = Profile.decode(raw);
    const strings = ref.stringTable.strings;
    expect(ours.strings).toEqual(strings);
    expect(ours.timeNanos).toBe(Number(ref.timeNanos));
    expect(ours.sampleTypes).toEqual(ref.sampleType.map((t) => [Number(t.type), Number(t.unit)]));
    expect(ours.sampleCount).toBe(ref.sample.length);
    const rec = new SampleRecord();
    ref.sample.forEach((s, i) => {
      expect(ours.locationIds(i)).toEqual(s.locationId.map(Number));
      ours.readSample(i, rec);
      expect(Array.from(rec.values.subarray(0, rec.valueCount))).toEqual(s.value.map(Number));
      const bytes = s.label.find((l) => strings[Number(l.key)] === 'bytes');
      expect(rec.bytesLabel).toBe(bytes ? Number(bytes.num) : -1);
      expect(rec.leafLocation).toBe(s.locationId.length ? Number(s.locationId[0]) : -1);
    });
    expect(ours.locations.size).toBe(ref.location.length);
    for (const loc of ref.location) {
      const lines = loc.line.map((l) => ({ functionId: Number(l.functionId), line: Number(l.line) }));
      expect(ours.locations.get(Number(loc.id))).toEqual(lines);
    }
    for (const fn of ref.function) {
      expect(ours.functions.get(Number(fn.id))).toEqual({
        name: Number(fn.name),
        filename: Number(fn.filename),
      });
    }
  });

  it('reads the unpacked location ids Go writes for stacks of one or two frames', () => {
    // Go's encoder packs repeated fields only when they have more than 2 elements.
    const raw = gunzipSync(readFileSync('examples/incidents/pub-slice-overcap/heap.pb.gz'));
    const p = decodeProfile(raw);
    const short = Array.from({ length: p.sampleCount }, (_, i) => i).filter(
      (i) => p.locationIds(i).length <= 2,
    );
    expect(short.length).toBeGreaterThan(0);
    // their location_id fields arrive as wire type 0 (tag 8), not packed (tag 10)
    for (const i of short) {
      const c = new Cursor(raw);
      c.pos = p.sampleBounds[2 * i]!;
      const end = p.sampleBounds[2 * i + 1]!;
      const tags: number[] = [];
      while (c.pos < end) {
        const tag = c.varint(end);
        tags.push(tag);
        c.skip(tag & 7, end);
      }
      expect(tags).toContain(8);
      expect(tags).not.toContain(10);
    }
  });

  it('skips fields it does not read, of every wire type', () => {
    const raw = gunzipSync(readFileSync('examples/incidents/pub-map-leak/heap.pb.gz'));
    const extra = Uint8Array.from([
      0x78,
      0x05, // field 15, varint 5 (doc_url-era field numbers)
      0x85,
      0x01,
      1,
      2,
      3,
      4, // field 16, fixed32
      0x89,
      0x01,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8, // field 17, fixed64
      0x92,
      0x01,
      0x02,
      0x61,
      0x62, // field 18, length-delimited "ab"
    ]);
    const p = decodeProfile(Buffer.concat([raw, extra]));
    expect(p.sampleCount).toBe(decodeProfile(raw).sampleCount);
  });

  it('throws ProfileDecodeError on a malformed sample when it is read', () => {
    // sample { location_id: packed run whose last varint does not end }
    const p = decodeProfile(Uint8Array.from([0x12, 4, 0x0a, 2, 0x01, 0x81]));
    expect(() => p.readSample(0, new SampleRecord())).toThrow(ProfileDecodeError);
  });

  it('throws ProfileDecodeError on truncated messages and overlong varints', () => {
    const raw = gunzipSync(readFileSync('examples/incidents/pub-map-leak/heap.pb.gz'));
    expect(() => decodeProfile(raw.subarray(0, raw.length - 7))).toThrow(ProfileDecodeError);
    expect(() => decodeProfile(Uint8Array.from([0x48, ...Array(11).fill(0xff)]))).toThrow(
      /longer than 10 bytes/,
    );
    expect(() => decodeProfile(Uint8Array.from([0x0b]))).toThrow(/wire type 3/);
  });

  it('reads a negative int64 value as negative', () => {
    // sample { value: -5 } as an unpacked int64: ten-byte two's complement varint
    const neg = [0x10, 0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    const p = decodeProfile(Uint8Array.from([0x12, neg.length, ...neg]));
    expect(p.sampleCount).toBe(1);
    const rec = new SampleRecord();
    p.readSample(0, rec);
    expect(rec.values[0]).toBe(-5);
    // and a large positive one (2^60 + 1: nine 7-bit groups) stays positive, to double precision
    const big = decodeProfile(
      Uint8Array.from([0x12, 10, 0x10, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]),
    );
    big.readSample(0, rec);
    expect(rec.values[0]).toBe(2 ** 60 + 1);
  });
});
