import { describe, expect, it } from 'vitest';
import { counterRate, linearFit, median, secondHalf } from '../../engine/facts/series.js';

const at = (s: number, v: number) => ({ t: 1_795_636_222_000 + s * 1000, v });

describe('linearFit', () => {
  it('recovers slope and a perfect R² on a line', () => {
    const fit = linearFit([at(0, 10), at(1, 12), at(2, 14), at(5, 20)]);
    expect(fit?.slopePerSecond).toBeCloseTo(2, 10);
    expect(fit?.r2).toBeCloseTo(1, 10);
  });
  it('gives a low R² on noise around a flat line', () => {
    const fit = linearFit([at(0, 10), at(1, 20), at(2, 10), at(3, 20), at(4, 10), at(5, 20)]);
    expect(fit!.r2).toBeLessThan(0.2);
  });
  it('has no trend for a constant series and refuses fewer than three points', () => {
    expect(linearFit([at(0, 5), at(1, 5), at(2, 5)])).toEqual({ slopePerSecond: 0, r2: 0, n: 3 });
    expect(linearFit([at(0, 1), at(1, 2)])).toBeUndefined();
    expect(linearFit([at(1, 1), at(1, 2), at(1, 3)])).toBeUndefined();
  });
});

describe('counterRate', () => {
  it('is the increase per second', () => {
    expect(counterRate([at(0, 100), at(10, 600)])).toBe(50);
  });
  it('survives a counter reset by counting from zero after it', () => {
    // 100 → 300 (+200), reset to 50 (+50), → 150 (+100): 350 over 30 s.
    expect(counterRate([at(0, 100), at(10, 300), at(20, 50), at(30, 150)])).toBeCloseTo(350 / 30);
  });
  it('needs a window', () => {
    expect(counterRate([at(0, 1)])).toBeUndefined();
    expect(counterRate([at(0, 1), at(0, 2)])).toBeUndefined();
  });
});

describe('median and secondHalf', () => {
  it('computes medians of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
  it('keeps the later half by time', () => {
    expect(secondHalf([at(0, 1), at(1, 2), at(9, 3), at(10, 4)]).map((p) => p.v)).toEqual([3, 4]);
  });
});
