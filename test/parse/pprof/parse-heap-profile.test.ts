import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  Label,
  Line,
  Location,
  Profile,
  Function as PprofFunction,
  Sample,
  StringTable,
  ValueType,
} from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { MAX_PROFILE_BYTES, parseHeapProfile } from '../../../engine/parse/pprof/parse-heap-profile.js';
import type { HeapProfile } from '../../../engine/parse/pprof/types.js';

const parseFile = (path: string) => parseHeapProfile(readFileSync(path));
const heap = (bundle: string) => parseFile(`examples/incidents/${bundle}/heap.pb.gz`);
const siteShare = (p: HeapProfile, fn: string) =>
  (p.sites.find((s) => s.function === fn)?.inuseBytes ?? 0) / p.totals.inuseBytes;

describe('parseHeapProfile on the real bundles (figures from the fixtures README)', () => {
  it('pub-map-leak: remember holds 58% (the map), handle 40% (the outcome structs)', () => {
    const { value: p, warnings } = heap('pub-map-leak');
    expect(warnings).toEqual([]);
    expect(p.valid).toBe(true);
    expect(p.sampleTypes).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    expect(p.timeMs).toBe(1795636282396); // = the last pprof/<ts>.pb.gz, which equals heap.pb.gz
    expect(p.totals.inuseBytes).toBe(107350672);
    const [top, second] = p.sites;
    expect(top).toMatchObject({
      function: 'main.(*seenRequests).remember',
      location: '/srv/app:51',
      kind: 'map',
    });
    expect(top!.inuseBytes).toBe(40108032 + 20054016 + 2621800);
    expect(siteShare(p, 'main.(*seenRequests).remember')).toBeCloseTo(0.585, 3);
    expect(second).toMatchObject({ function: 'main.handle', location: '/srv/app:82', kind: 'other' });
    expect(siteShare(p, 'main.handle')).toBeCloseTo(0.4, 2);
  });

  it('pub-slice-overcap: readChunk holds 89% (75 MB of 84 MB), about 7k sampled in-use objects', () => {
    const { value: p } = heap('pub-slice-overcap');
    expect(p.sites[0]).toMatchObject({ function: 'main.readChunk', location: '/srv/app:110', kind: 'slice' });
    expect(p.sites[0]!.inuseBytes / 2 ** 20).toBeCloseTo(75, 0);
    expect(p.totals.inuseBytes / 2 ** 20).toBeCloseTo(84, 0);
    expect(siteShare(p, 'main.readChunk')).toBeCloseTo(0.893, 3);
    expect(p.totals.inuseObjects).toBe(7021);
    // the fmt.Fprintf → bytes.Buffer growth is charged to the user function that formats
    expect(p.sites[1]).toMatchObject({ function: 'main.logTemplate', kind: 'slice' });
  });

  it('pub-goroutine-leak: subscribe 77%, time.NewTimer 5% (its own site, through inlined time.After)', () => {
    const { value: p } = heap('pub-goroutine-leak');
    expect(p.sites[0]!.function).toBe('main.(*hub).subscribe');
    expect(siteShare(p, 'main.(*hub).subscribe')).toBeCloseTo(0.77, 2);
    expect(siteShare(p, 'time.NewTimer')).toBeCloseTo(0.051, 3);
    expect(p.sites.find((s) => s.function === 'time.NewTimer')!.location).toMatch(/time\/sleep\.go:87$/);
    expect(p.sites.find((s) => s.function === 'runtime.malg')!.kind).toBe('stack');
  });

  it('pub-healthy-go: loadCatalog holds 92% here (82% flat by leaf + its fmt.Sprintf SKUs)', () => {
    const { value: p } = heap('pub-healthy-go');
    expect(p.sites[0]!.function).toBe('main.loadCatalog');
    expect(siteShare(p, 'main.loadCatalog')).toBeCloseTo(0.92, 2);
    expect(p.sites.some((s) => s.function.startsWith('fmt.'))).toBe(false);
  });

  it('pub-gc-thrash: build 91%; pub-no-memlimit: load 97%+ of 77 MB', () => {
    expect(siteShare(heap('pub-gc-thrash').value, 'main.build')).toBeCloseTo(0.906, 3);
    const { value: p } = heap('pub-no-memlimit');
    expect(p.totals.inuseBytes / 2 ** 20).toBeCloseTo(77, 0);
    expect(siteShare(p, 'main.load')).toBeGreaterThan(0.97);
  });

  it('keeps its invariants: sites sorted, sites and kinds both sum to the totals', () => {
    for (const b of ['pub-map-leak', 'pub-fragmentation', 'pub-reclaim-pressure', 'pub-healthy-go']) {
      const { value: p } = heap(b);
      const inuse = p.sites.map((s) => s.inuseBytes);
      expect(inuse).toEqual([...inuse].sort((x, y) => y - x));
      expect(inuse.reduce((a, x) => a + x, 0)).toBe(p.totals.inuseBytes);
      expect(p.sites.reduce((a, s) => a + s.allocObjects, 0)).toBe(p.totals.allocObjects);
      expect(Object.values(p.inuseBytesByKind).reduce((a, x) => a + x, 0)).toBe(p.totals.inuseBytes);
    }
  });
});

describe('parseHeapProfile on broken input (test/fixtures/pprof)', () => {
  const F = 'test/fixtures/pprof';
  it.each([
    ['empty.pb.gz', /empty/],
    ['not-a-profile.txt', /neither gzip nor a pprof protobuf/],
    ['truncated.pb.gz', /cannot gunzip/],
    ['truncated-raw.pb', /runs past the end/],
    ['garbled.pb.gz', /gzip content is not a pprof protobuf/],
    ['cpu-profile.pb.gz', /not a heap profile.*samples, cpu/],
  ])('%s → warning and an empty, invalid profile', (file, message) => {
    const { value: p, warnings } = parseFile(`${F}/${file}`);
    expect(p.valid).toBe(false);
    expect(p.sites).toEqual([]);
    expect(p.totals).toEqual({ inuseBytes: 0, inuseObjects: 0, allocBytes: 0, allocObjects: 0 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(message);
  });

  it('refuses a gzip bomb (more than MAX_PROFILE_BYTES once inflated)', () => {
    const member = gzipSync(Buffer.alloc(2 ** 20)); // ~1 KB of gzip per MiB of zeros
    const bomb = Buffer.concat(Array.from({ length: MAX_PROFILE_BYTES / 2 ** 20 + 1 }, () => member));
    const { value, warnings } = parseHeapProfile(bomb);
    expect(value.valid).toBe(false);
    expect(warnings[0]!.message).toMatch(/cannot gunzip.*too large/);
  });

  it('accepts raw (uncompressed) protobuf with the same result', () => {
    expect(parseFile(`${F}/raw.pb`)).toEqual(heap('pub-map-leak'));
  });

  it('warns about a profile without inuse_space, keeping its alloc figures', () => {
    const { value: p, warnings } = parseFile(`${F}/alloc-only.pb.gz`);
    expect(p.valid).toBe(true);
    expect(p.sampleTypes).toEqual(['alloc_objects', 'alloc_space']);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/no inuse_space/)]);
    expect(p.totals.allocBytes).toBe(heap('pub-map-leak').value.totals.allocBytes);
    expect(p.totals.inuseBytes).toBe(0);
  });

  it('survives dangling location and function ids with warnings', () => {
    const { value: p, warnings } = parseFile(`${F}/dangling-ids.pb.gz`);
    expect(p.valid).toBe(true);
    expect(p.totals.inuseBytes).toBe(107350672);
    expect(warnings.map((w) => w.message).join('\n')).toMatch(
      /location id.*not defined[\s\S]*undefined function ids/,
    );
  });

  it('never throws on random truncation and corruption of a real profile', () => {
    const raw = gunzipSync(readFileSync('examples/incidents/pub-goroutine-leak/heap.pb.gz'));
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    let invalid = 0;
    for (let i = 0; i < 300; i++) {
      const cut = Buffer.from(raw.subarray(0, 1 + Math.floor(rnd() * raw.length)));
      for (let k = 0; k < 4; k++) cut[Math.floor(rnd() * cut.length)] = Math.floor(rnd() * 256);
      const { value, warnings } = parseHeapProfile(i % 2 ? cut : gzipSync(cut));
      if (value.valid) continue;
      invalid++;
      expect(warnings.length).toBeGreaterThan(0);
      expect(value.sites).toEqual([]);
    }
    expect(invalid).toBeGreaterThan(100);
  });
});

/** A heap profile made with pprof-format: each stack is a list of locations, each a list of frames innermost first. */
function synthetic(
  samples: Array<{ stack: string[][]; inuse: number; objects: number; bytes?: number }>,
): Uint8Array {
  const strings = new StringTable();
  const fnIds = new Map<string, number>();
  const functions: PprofFunction[] = [];
  const locations: Location[] = [];
  const fnId = (name: string) => {
    if (!fnIds.has(name)) {
      fnIds.set(name, functions.length + 1);
      functions.push(
        new PprofFunction({
          id: functions.length + 1,
          name: strings.dedup(name),
          filename: strings.dedup('/src/app.go'),
        }),
      );
    }
    return fnIds.get(name)!;
  };
  const sample = samples.map(({ stack, inuse, objects, bytes }) => {
    const ids = stack.map((frames) => {
      const id = locations.length + 1;
      locations.push(
        new Location({ id, line: frames.map((f, i) => new Line({ functionId: fnId(f), line: 10 + i })) }),
      );
      return id;
    });
    const label = bytes ? [new Label({ key: strings.dedup('bytes'), num: bytes })] : [];
    return new Sample({ locationId: ids, value: [objects, inuse, objects, inuse], label });
  });
  const sampleType = ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'].map(
    (t, i) => new ValueType({ type: strings.dedup(t), unit: strings.dedup(i % 2 ? 'bytes' : 'count') }),
  );
  return new Profile({
    sampleType,
    sample,
    location: locations,
    function: functions,
    stringTable: strings,
  }).encode();
}

describe('parseHeapProfile: allocation sites', () => {
  it('skips runtime and helper frames, including inlined ones, to the user code', () => {
    const { value: p } = parseHeapProfile(
      synthetic([
        {
          stack: [['bytes.growSlice'], ['bytes.(*Buffer).grow', 'bytes.(*Buffer).Write'], ['main.render']],
          inuse: 1000,
          objects: 1,
        },
        {
          stack: [['strconv.formatBits', 'strconv.FormatInt', 'main.id'], ['main.main']],
          inuse: 300,
          objects: 3,
        },
        { stack: [['runtime.malg'], ['runtime.newproc1'], ['runtime.systemstack']], inuse: 416, objects: 1 },
        {
          stack: [['internal/runtime/maps.newarray'], ['runtime.mapassign_faststr'], ['main.index']],
          inuse: 700,
          objects: 1,
        },
        { stack: [['fmt.Sprintf'], ['fmt.init']], inuse: 50, objects: 1 },
        { stack: [], inuse: 10, objects: 1 },
      ]),
    );
    const bySite = Object.fromEntries(p.sites.map((s) => [s.function, [s.kind, s.location, s.inuseBytes]]));
    expect(bySite).toEqual({
      'main.render': ['slice', '/src/app.go:10', 1000],
      'main.index': ['map', '/src/app.go:10', 700],
      'runtime.malg': ['stack', '/src/app.go:10', 416],
      'main.id': ['string', '/src/app.go:12', 300], // strconv.FormatInt names the kind: a string
      'fmt.Sprintf': ['string', '/src/app.go:10', 50], // all helpers: the first non-runtime frame
      '<no stack>': ['other', undefined, 10],
    });
  });
});
