import { describe, expect, it } from 'vitest';
import {
  F_AT,
  F_CPU,
  F_FORCED,
  F_GLOBALS,
  F_GOAL,
  F_HEAP0,
  F_HEAP2,
  F_NUM,
  F_PROCS,
  F_STACKS,
  F_WALL0,
  F_WALL1,
  F_WALL2,
  GC_FIELDS,
  GC_NOT_GC,
  scanGcLine,
} from '../../../engine/parse/gctrace/gc-line.js';

/** Scans `text` as one line (with the `\n` sentinel the scanner expects after it), at slot offset 3. */
function scan(text: string): { r: number; row: Float64Array } {
  const b = Buffer.from(text + '\n', 'latin1');
  const row = new Float64Array(GC_FIELDS + 3);
  return { r: scanGcLine(b, 0, text.length, row, 3), row: row.subarray(3) };
}

const GO122 =
  'gc 14 @3.410s 5%: 0.061+12+0.087 ms clock, 0.49+3.0/23/4.1+0.70 ms cpu, 512->530->260 MB, 520 MB goal, 1 MB stacks, 0 MB globals, 8 P';

describe('scanGcLine', () => {
  it('reads every field of a Go 1.18–1.24 line (formats.md §1.3)', () => {
    const { r, row } = scan(GO122);
    expect(r).toBe(0);
    expect([row[F_NUM], row[F_AT], row[F_CPU]]).toEqual([14, 3.41, 5]);
    expect([row[F_WALL0], row[F_WALL1], row[F_WALL2]]).toEqual([0.061, 12, 0.087]);
    expect([row[F_HEAP0], row[F_HEAP2], row[F_GOAL]]).toEqual([512, 260, 520]);
    expect([row[F_STACKS], row[F_GLOBALS], row[F_PROCS], row[F_FORCED]]).toEqual([1, 0, 8, 0]);
  });

  it('reads `(forced)`, the ≤1.17 layout, and tolerates trailing blanks', () => {
    expect(scan(GO122 + ' (forced)').row[F_FORCED]).toBe(1);
    expect(scan(GO122 + ' (forced)  \t').r).toBe(0);
    expect(scan(GO122 + '  ').r).toBe(0);
    const old = scan(
      'gc 3 @1.250s 1%: 0.062+3.1+0.025 ms clock, 0.49+0/5.6/9.3+0.20 ms cpu, 9->9->6 MB, 10 MB goal, 8 P',
    );
    expect(old.r).toBe(0);
    expect([old.row[F_STACKS], old.row[F_PROCS]]).toEqual([-1, 8]);
  });

  it('says "not gctrace" unless the text starts `gc <digits> @`', () => {
    expect(scan('gc started').r).toBe(GC_NOT_GC);
    expect(scan('gc 12 items').r).toBe(GC_NOT_GC);
    expect(scan('gc 12@1s').r).toBe(GC_NOT_GC);
  });

  it('gives the 1-based column where a cut or garbled line stops matching', () => {
    expect(scan('gc 14 @').r).toBe(8);
    expect(scan('gc 14 @3.410s 5%: 0.061+12+').r).toBe(28);
    expect(scan(GO122.slice(0, -4)).r).toBe(GO122.indexOf(' MB globals') + 1);
    expect(scan(GO122.replace('530', '5x0')).r).toBe(GO122.indexOf('530') + 2);
    expect(scan(GO122.replace(' ms cpu, ', ' ms cpu; ')).r).toBe(GO122.indexOf(' ms cpu, ') + 1);
    expect(scan(GO122 + ' (forced) extra').r).toBe(GO122.length + 11);
  });
});
