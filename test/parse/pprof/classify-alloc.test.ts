import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { classifyAlloc, inuseShareByKind } from '../../../engine/parse/pprof/classify-alloc.js';
import { decodeProfile } from '../../../engine/parse/pprof/decode-profile.js';
import { emptyHeapProfile, parseHeapProfile } from '../../../engine/parse/pprof/parse-heap-profile.js';

const heap = (bundle: string) =>
  parseHeapProfile(readFileSync(`examples/incidents/${bundle}/heap.pb.gz`)).value;
const share = (bundle: string) => inuseShareByKind(heap(bundle))!;

describe('classifyAlloc rules', () => {
  it('1. takes the kind from the first telling frame, leaf first', () => {
    const kinds = classifyAlloc([
      { frames: ['bytes.growSlice', 'bytes.(*Buffer).grow', 'main.render'], siteLine: 'a' },
      { frames: ['fmt.Sprintf', 'main.loadCatalog'], siteLine: 'b', objectBytes: 48 },
      {
        frames: ['runtime.malg', 'runtime.newproc1', 'runtime.systemstack'],
        siteLine: 'c',
        objectBytes: 416,
      },
      {
        frames: ['internal/runtime/maps.newarray', 'runtime.mapassign_faststr', 'main.index'],
        siteLine: 'd',
      },
      // the frame wins over the size: a 40 MB object under bytes.growSlice is a slice
      { frames: ['bytes.growSlice', 'main.f'], siteLine: 'e', objectBytes: 40108032 },
    ]);
    expect(kinds).toEqual(['slice', 'string', 'stack', 'map', 'slice']);
  });

  it('2–3. an exact bucket array makes its line a map line; one bucket on the same line is a map too', () => {
    const line = 'main.(*seenRequests).remember /srv/app:51';
    const kinds = classifyAlloc([
      { frames: ['main.(*seenRequests).remember'], siteLine: line, objectBytes: 144 },
      { frames: ['main.(*seenRequests).remember'], siteLine: line, objectBytes: 40108032 },
      { frames: ['main.(*seenRequests).remember'], siteLine: line, objectBytes: 48 },
      // same size on another line: no evidence of a map there
      { frames: ['main.other'], siteLine: 'main.other x:1', objectBytes: 144 },
    ]);
    expect(kinds).toEqual(['map', 'map', 'other', 'other']);
  });

  it('4–5. other large objects are slices, small or unsized ones other', () => {
    const kinds = classifyAlloc([
      { frames: ['main.readChunk'], siteLine: 'r', objectBytes: 262144 },
      { frames: ['main.handle'], siteLine: 'h', objectBytes: 48 },
      { frames: ['main.handle'], siteLine: 'h' },
      { frames: [], siteLine: 'none', objectBytes: NaN },
    ]);
    expect(kinds).toEqual(['slice', 'other', 'other', 'other']);
  });
});

describe('what the real Go 1.19 profiles carry', () => {
  const names = new Set<string>();
  let inlinedLocations = 0;
  for (const b of readdirSync('examples/incidents').filter((d) => d.startsWith('pub-'))) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(`examples/incidents/${b}/heap.pb.gz`);
    } catch {
      continue; // JVM and process-only bundles have no heap profile
    }
    const p = decodeProfile(gunzipSync(bytes));
    for (const fn of p.functions.values()) names.add(p.strings[fn.name]!);
    for (const lines of p.locations.values()) if (lines.length > 1) inlinedLocations++;
  }

  it('has no leading runtime allocator frames: hideRuntime drops makemap/hashGrow/growslice', () => {
    for (const hidden of [
      'runtime.makemap',
      'runtime.makemap_small',
      'runtime.hashGrow',
      'runtime.makeBucketArray',
      'runtime.mapassign_fast64',
      'runtime.growslice',
      'runtime.makeslice',
      'runtime.slicebytetostring',
      'runtime.mallocgc',
    ]) {
      expect(names.has(hidden), hidden).toBe(false);
    }
  });

  it('does carry runtime-only stacks, stdlib helper frames and inlined frames', () => {
    expect(names.has('runtime.malg')).toBe(true);
    expect(names.has('bytes.growSlice')).toBe(true);
    expect(names.has('fmt.Sprintf')).toBe(true);
    expect(names.has('main.(*seenRequests).remember')).toBe(true);
    expect(names.has('main.readChunk')).toBe(true);
    expect(inlinedLocations).toBeGreaterThan(0); // e.g. time.After inlined into main.(*subscriber).pump
  });
});

describe('in-use shares by kind on the real profiles', () => {
  it('pub-map-leak is map-dominated (the 40 MB and 20 MB bucket arrays and overflow buckets of remember)', () => {
    const s = share('pub-map-leak');
    expect(s.map).toBeGreaterThan(0.55);
    expect(s.map).toBeLessThan(0.6);
    expect(s.map).toBe(Math.max(...Object.values(s)));
    expect(s.other).toBeCloseTo(0.41, 2); // the 48-byte outcome structs of main.handle
  });

  it('pub-slice-overcap is slice-dominated (256 KiB read buffers and an 8 MiB bytes.Buffer)', () => {
    const s = share('pub-slice-overcap');
    expect(s.slice).toBeGreaterThan(0.95);
    expect(s.map).toBe(0);
  });

  it('pub-healthy-go is not map- or slice-leak-shaped', () => {
    const s = share('pub-healthy-go');
    expect(s.map).toBeLessThan(0.2); // the catalog's 3.6 MB bucket array (map[string]*product, B = 14)
    expect(s.slice).toBeLessThan(0.2);
    expect(s.string).toBeCloseTo(0.096, 2); // fmt.Sprintf SKUs
    expect(s.other).toBe(Math.max(...Object.values(s)));
  });

  it('pub-goroutine-leak: the leaked pumps 8 KiB frame buffers carry no kind signal (other)', () => {
    const s = share('pub-goroutine-leak');
    expect(s.other).toBeGreaterThan(0.9);
    expect(s.stack).toBeGreaterThan(0); // runtime.malg: the g descriptors
  });

  it('sums to 1 and is absent for an unreadable profile', () => {
    const s = share('pub-gc-thrash');
    expect(Object.values(s).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(inuseShareByKind(emptyHeapProfile())).toBeUndefined();
  });
});
