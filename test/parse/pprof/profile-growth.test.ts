import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyHeapProfile, parseHeapProfile } from '../../../engine/parse/pprof/parse-heap-profile.js';
import { growthOverSeries, profileGrowth } from '../../../engine/parse/pprof/profile-growth.js';
import type { HeapProfile } from '../../../engine/parse/pprof/types.js';

/** The bundle's pprof/<ts>.pb.gz series, in file-name (time) order. */
function series(bundle: string): HeapProfile[] {
  const dir = `examples/incidents/${bundle}/pprof`;
  return readdirSync(dir)
    .sort()
    .map((f) => parseHeapProfile(readFileSync(`${dir}/${f}`)).value);
}

describe('growthOverSeries on the real series', () => {
  it('pub-map-leak: the map insertion function grows most', () => {
    const g = growthOverSeries(series('pub-map-leak'))!;
    expect(g.fromMs).toBe(1795636237397); // time_nanos; the file name (request time) says …396
    expect(g.toMs).toBe(1795636282396);
    expect(g.totalInuseBytesDelta).toBe(80250184);
    const [top, second] = g.sites;
    expect(top).toEqual({
      function: 'main.(*seenRequests).remember',
      location: '/srv/app:51',
      kind: 'map',
      firstInuseBytes: 16613944, // 10 MB (B=16) + 5 MB (B=15) bucket arrays + overflow buckets
      lastInuseBytes: 62783848, // 40 MB (B=18) + 20 MB (B=17) + overflow buckets
      inuseBytesDelta: 46169904,
      inuseObjectsDelta: 18206 + 2 - (10924 + 2),
    });
    expect(top!.inuseBytesDelta / g.totalInuseBytesDelta).toBeGreaterThan(0.55);
    expect(second).toMatchObject({ function: 'main.handle', kind: 'other', inuseBytesDelta: 34080280 });
  });

  it('pub-slice-overcap: readChunk grows, as a slice', () => {
    const g = growthOverSeries(series('pub-slice-overcap'))!;
    expect(g.sites[0]).toMatchObject({
      function: 'main.readChunk',
      kind: 'slice',
      inuseBytesDelta: 60627606,
    });
  });

  it('pub-healthy-go: growth is small and no site grows by more than one sample', () => {
    const profiles = series('pub-healthy-go');
    const g = growthOverSeries(profiles)!;
    const last = profiles[profiles.length - 1]!;
    expect(Math.abs(g.totalInuseBytesDelta)).toBeLessThan(2 ** 20);
    expect(Math.abs(g.totalInuseBytesDelta) / last.totals.inuseBytes).toBeLessThan(0.02);
    // ~512 KiB is one sample at Go's default MemProfileRate: noise, not a leak
    expect(g.sites[0]!.inuseBytesDelta).toBeLessThanOrEqual(528394);
    expect(g.sites.find((s) => s.function === 'main.loadCatalog')!.inuseBytesDelta).toBe(0);
  });

  it('orders by profile time, not by input order, and skips unreadable profiles', () => {
    const ordered = series('pub-map-leak');
    const shuffled = [ordered[2]!, emptyHeapProfile(), ordered[3]!, ordered[0]!, ordered[1]!];
    expect(growthOverSeries(shuffled)).toEqual(growthOverSeries(ordered));
  });

  it('is undefined with fewer than two readable profiles (unknown, not zero)', () => {
    const [one] = series('pub-map-leak');
    expect(growthOverSeries([])).toBeUndefined();
    expect(growthOverSeries([one!, emptyHeapProfile()])).toBeUndefined();
    expect(growthOverSeries(series('pub-no-memlimit'))).toBeUndefined(); // killed after one profile
  });
});

describe('profileGrowth', () => {
  it('counts a vanished site as shrinking and keeps its kind from the first profile', () => {
    const [first, , , last] = series('pub-map-leak');
    const back = profileGrowth(last!, first!);
    const remember = back.sites.find((s) => s.function === 'main.(*seenRequests).remember')!;
    expect(remember.inuseBytesDelta).toBe(-46169904);
    expect(back.sites[back.sites.length - 1]!.function).toBe('main.(*seenRequests).remember');
    const a: HeapProfile = {
      ...emptyHeapProfile(),
      valid: true,
      sites: [{ ...first!.sites[0]!, kind: 'map' }],
    };
    const gone = profileGrowth(a, { ...emptyHeapProfile(), valid: true });
    expect(gone.sites).toEqual([
      expect.objectContaining({
        kind: 'map',
        lastInuseBytes: 0,
        inuseBytesDelta: -first!.sites[0]!.inuseBytes,
      }),
    ]);
  });
});
