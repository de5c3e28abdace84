import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildFacts } from '../../../engine/facts/build-facts.js';
import {
  PROFILE_LIMITS,
  ProfileLimitError,
  decodeProfile,
  type ProfileLimits,
} from '../../../engine/parse/pprof/decode-profile.js';
import {
  DecodeBudget,
  MAX_INCIDENT_PROFILE_BYTES,
  MAX_PROFILE_BYTES,
  parseHeapProfile,
} from '../../../engine/parse/pprof/parse-heap-profile.js';
import { EMPTY_SAMPLE, emptySampleBomb, field, varintField } from './profile-bomb.js';

const REAL = 'examples/incidents/pub-map-leak/heap.pb.gz';
const limits = (over: Partial<ProfileLimits>): ProfileLimits => ({ ...PROFILE_LIMITS, ...over });
/** Bytes that are not a Profile message (wire type 7): reading them throws ProfileDecodeError. */
const GARBAGE = Uint8Array.from([0x0f, 0xff, 0xff]);

/**
 * Peak RSS a bundle of profile bombs may add to the process: one inflated profile (≤ 64 MiB, up
 * to twice while gunzip assembles it) plus the decoder's capped tables. Before the caps one
 * 254 KB gzip of 125M empty samples took 12 s and 3.8 GB.
 */
const PEAK_RSS_BOUND_MIB = 384;

describe('profile bombs', () => {
  it('the issue’s bomb: a ~250 KB gzip of 125M empty samples, four times in one bundle, costs < 384 MiB and seconds', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'test/parse/pprof/bomb-child.ts', '125000000', '4'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const r = JSON.parse(out) as {
      gzipBytes: number;
      baselineRssMiB: number;
      peakRssMiB: number;
      ms: number;
      warnings: { file: string; message: string }[];
    };
    expect(r.gzipBytes).toBeLessThan(300_000);
    expect(r.peakRssMiB - r.baselineRssMiB).toBeLessThan(PEAK_RSS_BOUND_MIB);
    expect(r.ms).toBeLessThan(5_000);
    expect(r.warnings.map((w) => w.file).sort()).toEqual([
      'heap.pb.gz',
      'pprof/1700000000000.pb.gz',
      'pprof/1700000000001.pb.gz',
      'pprof/1700000000002.pb.gz',
    ]);
    for (const w of r.warnings) expect(w.message).toMatch(/cannot gunzip.*too large/);
  });

  it('empty samples under the byte cap: decoding stops at the sample cap with a clear warning', () => {
    const bomb = emptySampleBomb(8 * 2 ** 20); // 16 MiB inflated, 8Mi samples
    expect(gunzipSync(bomb).length).toBeLessThan(MAX_PROFILE_BYTES);
    const { value, warnings } = parseHeapProfile(bomb);
    expect(value.valid).toBe(false);
    expect(warnings).toEqual([
      {
        message: expect.stringMatching(
          /^heap profile not used: more than 1,048,576 samples \(a decompression bomb/,
        ) as string,
      },
    ]);
  });

  it('the decoder reads nothing past the cap: the bytes after the last allowed sample are never seen', () => {
    const samples = Buffer.concat(Array.from({ length: 11 }, () => Buffer.from(EMPTY_SAMPLE)));
    const buf = Buffer.concat([samples, GARBAGE]);
    expect(() => decodeProfile(buf, limits({ samples: 10 }))).toThrow(ProfileLimitError);
    expect(() => decodeProfile(buf, limits({ samples: 11 }))).toThrow(/wire type 7/);
    expect(decodeProfile(samples, limits({ samples: 11 })).sampleCount).toBe(11);
  });

  it.each<[keyof ProfileLimits, Buffer]>([
    ['locations', field(4, varintField(1, 1))],
    ['functions', field(5, varintField(1, 1))],
    ['strings', field(6, Buffer.from('x'))],
  ])('%s are capped the same way', (kind, entry) => {
    const entries = Buffer.concat(
      // distinct ids, so a location or function table really grows
      Array.from({ length: 6 }, (_, i) =>
        kind === 'strings' ? entry : field(kind === 'locations' ? 4 : 5, varintField(1, i + 1)),
      ),
    );
    const buf = Buffer.concat([entries, GARBAGE]);
    const err = (() => {
      try {
        decodeProfile(buf, limits({ [kind]: 5 }));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ProfileLimitError);
    expect((err as ProfileLimitError).kind).toBe(kind);
    expect((err as ProfileLimitError).code).toBe('MT_ERR_PPROF_LIMIT');
  });

  it('line entries over all locations are capped (one location of many inlined frames)', () => {
    const line = field(4, varintField(1, 1)); // Location.line (field 4): {function_id: 1}
    const location = field(4, Buffer.concat([varintField(1, 1), ...Array.from({ length: 9 }, () => line)]));
    expect(() => decodeProfile(location, limits({ lines: 8 }))).toThrow(/more than 8 lines/);
    expect(decodeProfile(location, limits({ lines: 9 })).locations.get(1)).toHaveLength(9);
  });

  it('a sample of millions of packed values stores no more than the sample types need', () => {
    const values = Buffer.alloc(4_000_000, 0x01); // 4M one-byte varints
    const sample = field(2, field(2, values));
    const heapTypes = ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'];
    const strings = ['', ...heapTypes, 'count'].map((s) => field(6, Buffer.from(s)));
    const types = [1, 2, 3, 4].map((t) => field(1, Buffer.concat([varintField(1, t), varintField(2, 5)])));
    const { value, warnings } = parseHeapProfile(gzipSync(Buffer.concat([...types, sample, ...strings])));
    expect(value.valid).toBe(true);
    expect(warnings.map((w) => w.message)).toContain('1 sample(s) with missing, extra or negative values');
  });
});

describe('the per-incident budget of decoded profile bytes', () => {
  const real = readFileSync(REAL);
  const inflated = gunzipSync(real).length;

  it('is spent profile by profile; a profile that would pass it is not read, with a warning', () => {
    const budget = new DecodeBudget(Math.floor(inflated * 1.5));
    expect(parseHeapProfile(real, budget).value.valid).toBe(true);
    const second = parseHeapProfile(real, budget);
    expect(second.value.valid).toBe(false);
    expect(second.warnings[0]!.message).toMatch(
      new RegExp(`would pass the incident's budget of ${MAX_INCIDENT_PROFILE_BYTES} decoded profile bytes`),
    );
    expect(parseHeapProfile(real, budget).value.valid).toBe(false);
  });

  it('buildFacts shares one budget over heap.pb.gz and pprof/*.pb.gz: six 64 MiB bombs decode four', () => {
    const member = gzipSync(Buffer.alloc(2 ** 20, EMPTY_SAMPLE));
    // Just under the byte cap, one string short of anything: decoded in full, then not a heap profile.
    const big = Buffer.concat(Array.from({ length: MAX_PROFILE_BYTES / 2 ** 20 - 1 }, () => member));
    const facts = buildFacts({
      dir: 'bombs',
      heapProfile: big,
      profiles: Array.from({ length: 5 }, (_, i) => ({ ts: 1_700_000_000_000 + i, value: big })),
      cgroup: [],
      proc: [],
      nmt: [],
      unknownEntries: [],
    });
    const messages = facts.warnings.filter((w) => /pb\.gz$/.test(w.file)).map((w) => w.message);
    expect(messages).toHaveLength(6);
    // 63 MiB each: the first four fit in 256 MiB, the rest find the budget spent.
    expect(messages.filter((m) => /more than 1,048,576 samples/.test(m))).toHaveLength(4);
    expect(messages.filter((m) => /budget of \d+ decoded profile bytes/.test(m))).toHaveLength(2);
  });
});
