import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../engine/shared/parse-quantity.js';
import type { FactUnit } from '../../engine/facts/types.js';

const ok = (raw: unknown, unit: FactUnit): number => {
  const r = parseQuantity(raw, unit);
  if (!r.ok) throw new Error(`${String(raw)} as ${unit}: ${r.message}`);
  return r.value;
};
const fails = (raw: unknown, unit: FactUnit) => parseQuantity(raw, unit);

describe('parseQuantity', () => {
  it('reads binary byte sizes, including the Kubernetes spellings', () => {
    expect(ok('256KiB', 'bytes')).toBe(262_144);
    expect(ok('1.5GiB', 'bytes')).toBe(1_610_612_736);
    expect(ok('512MiB', 'bytes')).toBe(536_870_912);
    expect(ok('2TiB', 'bytes')).toBe(2 * 2 ** 40);
    expect(ok('512Mi', 'bytes')).toBe(536_870_912);
    expect(ok('100B', 'bytes')).toBe(100);
    expect(ok('64 KiB', 'bytes')).toBe(65_536);
    expect(ok(1_048_576, 'bytes')).toBe(1_048_576);
  });

  it('rejects decimal / ambiguous sizes with the binary unit to write instead', () => {
    for (const [raw, meant] of [
      ['512MB', '512MiB'],
      ['1GB', '1GiB'],
      ['10kB', '10KiB'],
      ['4G', '4GiB'],
      ['100M', '100MiB'],
    ] as const) {
      const r = fails(raw, 'bytes');
      expect(r).toMatchObject({ ok: false, code: 'ambiguous-unit' });
      expect(!r.ok && r.message).toContain(`write ${meant}`);
    }
  });

  it('points out case mistakes instead of guessing', () => {
    const r = fails('256kib', 'bytes');
    expect(r).toMatchObject({ ok: false, code: 'unit-mismatch' });
    expect(!r.ok && r.message).toContain('write KiB');
  });

  it('reads byte rates: per second, per minute, per hour, or a bare size meaning per second', () => {
    expect(ok('256KiB/s', 'bytes/s')).toBe(262_144);
    expect(ok('60MiB/m', 'bytes/s')).toBe(1_048_576);
    expect(ok('3600KiB/h', 'bytes/s')).toBe(1024);
    expect(ok('256KiB', 'bytes/s')).toBe(262_144);
    expect(ok(-4096, 'bytes/s')).toBe(-4096);
    expect(ok('-1MiB/s', 'bytes/s')).toBe(-1_048_576);
  });

  it('reads percentages: 0–1 for ratio facts, 0–100 for percent facts', () => {
    expect(ok('80%', 'ratio')).toBeCloseTo(0.8, 12);
    expect(ok('0.5%', 'ratio')).toBeCloseTo(0.005, 12);
    expect(ok(0.8, 'ratio')).toBe(0.8);
    expect(ok('80%', 'percent')).toBe(80);
    expect(ok(12.5, 'percent')).toBe(12.5);
  });

  it('reads Go-style durations for seconds facts', () => {
    expect(ok('250ms', 'seconds')).toBeCloseTo(0.25, 12);
    expect(ok('30s', 'seconds')).toBe(30);
    expect(ok('5m', 'seconds')).toBe(300);
    expect(ok('1h', 'seconds')).toBe(3600);
    expect(ok('1h30m', 'seconds')).toBe(5400);
    expect(ok('2d', 'seconds')).toBe(172_800);
    expect(ok('1.5s', 'seconds')).toBe(1.5);
    expect(ok(90, 'seconds')).toBe(90);
  });

  it('reads plain numbers and rates for counts', () => {
    expect(ok(100, 'count')).toBe(100);
    expect(ok('1e3', 'count')).toBe(1000);
    expect(ok(2.5, 'count/s')).toBe(2.5);
    expect(ok('600/m', 'count/s')).toBe(10);
    expect(ok('10/s', 'count/s')).toBe(10);
  });

  it('names what the literal is and what the fact wants on a unit mismatch', () => {
    const cases: [unknown, FactUnit, string][] = [
      ['80%', 'bytes', 'is a percentage, but the fact is measured in bytes'],
      ['5m', 'bytes', 'is a duration'],
      ['1MiB', 'seconds', 'is a byte size, but the fact is measured in seconds'],
      ['1MiB/s', 'bytes', 'is a byte rate'],
      ['30s', 'count/s', 'is a duration'],
      ['10%', 'count', 'is a percentage'],
      ['lots', 'count', 'cannot read "lots" as count'],
      [true, 'bytes', 'is a boolean'],
      ['5MiB/week', 'bytes/s', 'unknown rate unit "/week"'],
      [Number.POSITIVE_INFINITY, 'bytes', 'not a finite number'],
      [3, 'string', 'a quantity does not apply'],
    ];
    for (const [raw, unit, says] of cases) {
      const r = fails(raw, unit);
      expect(r.ok, `${String(raw)} as ${unit}`).toBe(false);
      expect(!r.ok && r.message, `${String(raw)} as ${unit}`).toContain(says);
    }
  });

  it('does not read garbage as a number', () => {
    for (const raw of ['', ' ', '1..2', 'KiB', '1 2', '--5', '5 5ms', '%']) {
      expect(fails(raw, 'bytes').ok, JSON.stringify(raw)).toBe(false);
    }
  });
});
