import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePsi } from '../../../engine/parse/proc/parse-psi.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const INCIDENTS = join(ROOT, 'examples/incidents');
const fixture = (name: string) => readFileSync(join(ROOT, 'test/fixtures/proc', name), 'utf8');

describe('parsePsi on captured files', () => {
  it('reads the host pressure-memory of pub-reclaim-pressure; some avg10 peaks at 17.67', () => {
    const dir = join(INCIDENTS, 'pub-reclaim-pressure/proc');
    const all = readdirSync(dir)
      .filter((ts) => existsSync(join(dir, ts, 'pressure-memory')))
      .map((ts) => parsePsi(readFileSync(join(dir, ts, 'pressure-memory'), 'utf8'), Number(ts)));
    expect(all.every((r) => r.warnings.length === 0)).toBe(true);
    expect(Math.max(...all.map((r) => r.value.some?.avg10 ?? 0))).toBe(17.67);
    const first = all[0]?.value;
    expect(first).toEqual({
      ts: 1795636613165,
      some: { avg10: 6.03, avg60: 1.24, avg300: 0.49, totalMicros: 24164057 },
      full: { avg10: 4.94, avg60: 1.01, avg300: 0.43, totalMicros: 22327132 },
    });
  });

  it('reads the cgroup memory.pressure of pub-oom-no-runtime at the kill (some = full = 14.24)', () => {
    const text = readFileSync(
      join(INCIDENTS, 'pub-oom-no-runtime/cgroup/1795635820912/memory.pressure'),
      'utf8',
    );
    const { value, warnings } = parsePsi(text);
    expect(warnings).toEqual([]);
    expect(value.some).toEqual({ avg10: 14.24, avg60: 2.98, avg300: 0.63, totalMicros: 2119627 });
    expect(value.full).toEqual(value.some);
  });
});

const psiText = (() => {
  try {
    return readFileSync('/proc/pressure/memory', 'utf8');
  } catch {
    return undefined; // No PSI on this kernel (CONFIG_PSI=n, psi=0): ENOENT or EOPNOTSUPP.
  }
})();

describe("parsePsi on this machine's /proc/pressure/memory", () => {
  it.skipIf(psiText === undefined)('parses it without a warning, with averages in 0–100', () => {
    const { value, warnings } = parsePsi(psiText!);
    expect(warnings).toEqual([]);
    expect(value.some?.avg10).toBeGreaterThanOrEqual(0);
    expect(value.some?.avg10).toBeLessThanOrEqual(100);
    expect(value.full?.totalMicros).toBeGreaterThanOrEqual(0);
  });
});

describe('parsePsi on partial and broken input', () => {
  it('warns on an empty file', () => {
    expect(parsePsi('').warnings).toEqual([{ message: 'PSI: no "some" or "full" line found' }]);
  });

  it('accepts a some-only file without a warning', () => {
    const { value, warnings } = parsePsi(fixture('psi-some-only'));
    expect(warnings).toEqual([]);
    expect(value).toEqual({ some: { avg10: 0.12, avg60: 0.05, avg300: 0.01, totalMicros: 81233 } });
  });

  it('drops bad lines with their line numbers and keeps the later repeated some', () => {
    const { value, warnings } = parsePsi(fixture('psi-broken'));
    expect(value.full).toBeUndefined();
    expect(value.some).toEqual({ avg10: 0.5, avg60: 0.2, avg300: 0.1, totalMicros: 90000 });
    expect(warnings).toEqual([
      { line: 1, message: 'PSI: "some" line lacks one of avg10, avg60, avg300, total' },
      { line: 2, message: 'PSI: "full" line has an unreadable field "avg10=x"' },
      { line: 3, message: 'PSI: unrecognised line "partial avg10=0.00 avg60=0.00 avg300=0.00 total=0"' },
    ]);
  });

  it('a truncated line is rejected rather than read with a wrong total', () => {
    const { value, warnings } = parsePsi(
      'some avg10=1.00 avg60=0.50 avg300=0.10 total=123\nfull avg10=1.00 avg60=0.5',
    );
    expect(value.some?.totalMicros).toBe(123);
    expect(value.full).toBeUndefined();
    expect(warnings).toEqual([
      { line: 2, message: 'PSI: "full" line lacks one of avg10, avg60, avg300, total' },
    ]);
  });
});
