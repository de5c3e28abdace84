import { describe, expect, it } from 'vitest';
import { parseFlatKeyed, safeInteger } from '../../../engine/parse/proc/parse-flat-keyed.js';

describe('safeInteger', () => {
  it('is exact up to 2^53 − 1 and refuses anything larger', () => {
    expect(safeInteger('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(safeInteger('9007199254740992')).toBeUndefined();
    expect(safeInteger('9223372036854771712')).toBeUndefined();
    expect(safeInteger('000000000000000000042')).toBe(42);
    expect(safeInteger('-12')).toBe(-12);
  });
});

describe('parseFlatKeyed', () => {
  it('splits safe and oversized values, reports repeats and garbage by line', () => {
    const r = parseFlatKeyed('a 1\nhuge 9223372036854771712\n\n  b\t2  \na 3\nno-value\n', 'x');
    expect(r.values).toEqual({ a: 3, b: 2 });
    expect(r.oversized).toEqual({ huge: '9223372036854771712' });
    expect(r.warnings).toEqual([
      { line: 5, message: 'x: key "a" repeated; the later value is kept' },
      { line: 6, message: 'x: cannot read "no-value" as "key value"' },
    ]);
  });

  it('a repeated key moving between safe and oversized keeps only the later value', () => {
    const r = parseFlatKeyed('k 9223372036854771712\nk 5\n', 'x');
    expect(r.values).toEqual({ k: 5 });
    expect(r.oversized).toEqual({});
  });
});
