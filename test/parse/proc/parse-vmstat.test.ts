import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseVmstat } from '../../../engine/parse/proc/parse-vmstat.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const INCIDENTS = join(ROOT, 'examples/incidents');
const FIXTURES = join(ROOT, 'test/fixtures/proc');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function vmstatSeries(bundle: string) {
  const dir = join(INCIDENTS, bundle, 'proc');
  return readdirSync(dir)
    .sort()
    .filter((ts) => existsSync(join(dir, ts, 'vmstat')))
    .map((ts) => parseVmstat(readFileSync(join(dir, ts, 'vmstat'), 'utf8'), Number(ts)));
}

describe('parseVmstat on the captured 6.18 kernel', () => {
  it('reads every host vmstat of every bundle without a warning', () => {
    let n = 0;
    for (const b of readdirSync(INCIDENTS).filter((x) => x.startsWith('pub-'))) {
      for (const r of vmstatSeries(b)) {
        expect(r.warnings, b).toEqual([]);
        expect(Object.keys(r.value.raw).length).toBeGreaterThan(150);
        n++;
      }
    }
    expect(n).toBe(626);
  });

  it('pub-reclaim-pressure: kswapd and direct reclaim never moved; file scans, refaults and major faults did', () => {
    const s = vmstatSeries('pub-reclaim-pressure');
    const first = s[0]?.value;
    const last = s.at(-1)?.value;
    if (!first || !last) throw new Error('no vmstat');
    expect(first.ts).toBe(1795636613165);
    // 6.x names: node-level pgscan_kswapd, per-zone allocstall_* summed (incl. allocstall_device).
    for (const key of [
      'pgscanKswapd',
      'pgscanDirect',
      'pgstealKswapd',
      'pgstealDirect',
      'allocstall',
    ] as const) {
      expect(first[key], key).toBe(0);
      expect(last[key], key).toBe(0);
    }
    expect((last.raw.pgscan_file as number) - (first.raw.pgscan_file as number)).toBe(590979);
    expect((last.raw.pgsteal_file as number) - (first.raw.pgsteal_file as number)).toBe(590976);
    expect((last.workingsetRefaultFile as number) - (first.workingsetRefaultFile as number)).toBe(531751);
    expect(last.workingsetRefault).toBe(
      (last.workingsetRefaultFile as number) + (last.workingsetRefaultAnon as number),
    );
    expect((last.pgmajfault as number) - (first.pgmajfault as number)).toBe(613542);
    expect(first.oomKill).toBe(11);
    expect(last.pswpin).toBe(0);
  });
});

describe("parseVmstat on this machine's /proc/vmstat", () => {
  it('parses cleanly and yields the counters every modern kernel prints', () => {
    const { value, warnings } = parseVmstat(readFileSync('/proc/vmstat', 'utf8'));
    expect(warnings).toEqual([]);
    expect(value.pgfault).toBeGreaterThan(0);
    expect(value.pgmajfault).toBeGreaterThanOrEqual(0);
    expect(value.pgscanKswapd).toBeGreaterThanOrEqual(0);
    expect(value.allocstall).toBeGreaterThanOrEqual(0);
    expect(value.workingsetRefault).toBeGreaterThanOrEqual(0);
  });
});

describe('parseVmstat on older kernels (hand-made)', () => {
  it('4.4: sums per-zone scan/steal (not pgscan_direct_throttle), single allocstall and workingset_refault', () => {
    const { value, warnings } = parseVmstat(fixture('vmstat-4.4'), 7);
    expect(warnings).toEqual([]);
    expect(value.ts).toBe(7);
    expect(value.pgscanKswapd).toBe(92011 + 1203344);
    expect(value.pgscanDirect).toBe(1310 + 41002);
    expect(value.pgstealKswapd).toBe(81233 + 1012044);
    expect(value.pgstealDirect).toBe(1022 + 30112);
    expect(value.allocstall).toBe(411);
    expect(value.workingsetRefault).toBe(182733);
    expect(value.workingsetRefaultFile).toBe(182733);
    expect(value.workingsetRefaultAnon).toBeUndefined();
    expect(value.oomKill).toBeUndefined();
    expect(value.raw.pgscan_direct_throttle).toBe(7);
  });

  it('5.4: node-level pgscan, per-zone allocstall summed, single workingset_refault', () => {
    const { value, warnings } = parseVmstat(fixture('vmstat-5.4'));
    expect(warnings).toEqual([]);
    expect(value).toMatchObject({
      pgscanKswapd: 2610334,
      pgscanDirect: 82033,
      pgstealKswapd: 2203112,
      pgstealDirect: 61203,
      allocstall: 1204 + 33,
      workingsetRefault: 712003,
      workingsetRefaultFile: 712003,
      pgmajfault: 120334,
      pswpin: 12,
      pswpout: 340,
      oomKill: 3,
    });
    expect(value.ts).toBeUndefined();
  });
});

describe('parseVmstat on broken input', () => {
  it('keeps good lines, warns per bad line, drops values above 2^53', () => {
    const { value, warnings } = parseVmstat(fixture('vmstat-broken'));
    expect(value.pgscanKswapd).toBe(2610334);
    expect(value.pgscanDirect).toBeUndefined();
    expect(value.pgmajfault).toBe(120334);
    expect(value.workingsetRefault).toBe(1024);
    expect(value.oomKill).toBeUndefined();
    expect(value.pgstealKswapd).toBeUndefined();
    expect(warnings.filter((w) => w.line !== undefined).map((w) => w.line)).toEqual([3, 4, 9]);
    expect(
      warnings.some(
        (w) => w.message === 'vmstat: oom_kill = 9223372036854775807 exceeds 2^53 and was dropped',
      ),
    ).toBe(true);
  });

  it('empty text gives an empty snapshot and a warning', () => {
    const { value, warnings } = parseVmstat('');
    expect(value).toEqual({ raw: {} });
    expect(warnings).toEqual([{ message: 'vmstat: no counters found' }]);
  });
});
