import { describe, expect, it } from 'vitest';
import {
  bucketArrayBytes,
  exactBucketArrayShapes,
  isBucketAllocation,
  roundUpSize,
} from '../../../engine/parse/pprof/go-size-classes.js';

describe('roundUpSize (Go 1.19 size classes, 8 KiB pages above 32 KiB)', () => {
  it('rounds to size classes and pages', () => {
    expect(roundUpSize(1)).toBe(8);
    expect(roundUpSize(33)).toBe(48);
    expect(roundUpSize(144)).toBe(144);
    expect(roundUpSize(145)).toBe(160);
    expect(roundUpSize(32768)).toBe(32768);
    expect(roundUpSize(32769)).toBe(40960);
  });
});

describe('map bucket arrays', () => {
  it('reproduces the bucket-array sizes seen in the real profiles', () => {
    // map[int64]*outcome (144-byte buckets) in pub-map-leak: B = 15…18 at main.(*seenRequests).remember
    expect(bucketArrayBytes(144, 15)).toBe(5013504);
    expect(bucketArrayBytes(144, 16)).toBe(10027008);
    expect(bucketArrayBytes(144, 17)).toBe(20054016);
    expect(bucketArrayBytes(144, 18)).toBe(40108032);
    // map[string]*product (208-byte buckets) sized for 60 000 entries in pub-healthy-go's loadCatalog
    expect(bucketArrayBytes(208, 14)).toBe(3620864);
    // the small, page-rounded maps of pub-gc-thrash's main.route
    expect(bucketArrayBytes(144, 8)).toBe(40960);
    expect(bucketArrayBytes(144, 11)).toBe(319488);
    expect(bucketArrayBytes(144, 12)).toBe(630784);
    expect(bucketArrayBytes(144, 0)).toBe(144);
  });

  it('recognises exact large bucket arrays and lists their possible bucket sizes', () => {
    expect(exactBucketArrayShapes(40108032)).toContain(144);
    expect(exactBucketArrayShapes(40108032)).toContain(72);
    expect(exactBucketArrayShapes(3620864)).toContain(208);
    expect(exactBucketArrayShapes(5013504)).toContain(144);
  });

  it('rejects slices: powers of two, 17 × 2^n and small objects', () => {
    expect(exactBucketArrayShapes(262144)).toEqual([]); // make([]byte, 256<<10) in pub-slice-overcap
    expect(exactBucketArrayShapes(8388608)).toEqual([]); // bytes.Buffer growth to 8 MiB
    expect(exactBucketArrayShapes(557056)).toEqual([]); // append-grown []*item in pub-no-memlimit (17 × 2^15)
    expect(exactBucketArrayShapes(2326528)).toEqual([]); // make([]*junction, 290000) in pub-gc-thrash
    expect(exactBucketArrayShapes(144)).toEqual([]); // below 32 KiB nothing is exact
  });

  it('matches rounded arrays and single buckets once the bucket size is known', () => {
    expect(isBucketAllocation(144, 144)).toBe(true);
    expect(isBucketAllocation(319488, 144)).toBe(true);
    expect(isBucketAllocation(262144, 144)).toBe(false);
    expect(isBucketAllocation(48, 144)).toBe(false);
  });
});
