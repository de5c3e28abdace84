import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../engine/format/units.js';

describe('formatDuration', () => {
  it('never prints 60 seconds in a minute', () => {
    expect(formatDuration(839.6)).toBe('14m 0s');
    expect(formatDuration(119.5)).toBe('2m 0s');
    expect(formatDuration(61)).toBe('1m 1s');
    expect(formatDuration(3599.7)).toBe('1h 0m');
    expect(formatDuration(42)).toBe('42 s');
  });
});
