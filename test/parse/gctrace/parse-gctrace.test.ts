import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseGctrace } from '../../../engine/parse/gctrace/parse-gctrace.js';

const MIB = 1048576;
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bundleLog = (name: string) => readFileSync(`${repo}examples/incidents/${name}/gctrace.log`, 'utf8');
const fixture = (name: string) => readFileSync(`${repo}test/fixtures/gctrace/${name}`, 'utf8');

describe('parseGctrace on the captured Go bundles (Go 1.19.8)', () => {
  // [bundle, cycles, last gc's @seconds, live MiB, goal MiB] — read from the files themselves.
  const lastCycles: [string, number, number, number, number][] = [
    ['pub-map-leak', 25, 55.57, 88, 199],
    ['pub-gc-thrash', 338, 59.917, 84, 79],
    ['pub-healthy-go', 16, 59.935, 31, 63],
    ['pub-no-memlimit', 7, 0.622, 135, 153],
    ['pub-fragmentation', 28, 58.98, 35, 71],
    ['pub-goroutine-leak', 12, 54.21, 26, 43],
    ['pub-slice-overcap', 18, 53.63, 113, 191],
    ['pub-reclaim-pressure', 1, 31.147, 0, 4],
  ];

  it.each(lastCycles)(
    '%s: %i cycles, the last at @%ss with %i MiB live and a %i MiB goal',
    (name, n, at, live, goal) => {
      const { value, warnings } = parseGctrace(bundleLog(name));
      expect(warnings).toEqual([]);
      expect(value.cycles).toHaveLength(n);
      expect(value.cycleCount).toBe(n);
      expect(value.otherLines).toBe(0);
      expect(value.restarts).toBe(0);
      expect(value.cycles.map((c) => c.num)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      const last = value.cycles[n - 1]!;
      expect(last.line).toBe(n);
      expect(last.atSeconds).toBe(at);
      expect(last.liveHeapBytes).toBe(live * MIB);
      expect(last.goalBytes).toBe(goal * MIB);
      expect(last.procs).toBe(2);
      expect(last.globalsBytes).toBe(0);
    },
  );

  it('pub-map-leak: the live heap climbs to 99 MiB and ends at 88 MiB; no cycle is forced', () => {
    const { cycles } = parseGctrace(bundleLog('pub-map-leak')).value;
    expect(cycles.map((c) => c.liveHeapBytes / MIB)).toEqual([
      0, 1, 1, 3, 3, 3, 3, 6, 5, 6, 7, 12, 11, 12, 14, 25, 22, 24, 28, 50, 44, 49, 56, 99, 88,
    ]);
    expect(cycles.some((c) => c.forced)).toBe(false);
    // gc 25: `169->170->88 MB`, wall clock `0.072+73+0.006 ms`, 0% CPU.
    expect(cycles[24]).toMatchObject({ heapStartBytes: 169 * MIB, heapEndBytes: 170 * MIB, cpuPercent: 0 });
    expect(cycles[24]!.wallMs).toEqual([0.072, 73, 0.006]);
  });

  it('pub-gc-thrash: from gc 19 the GC takes 53–56% CPU and the goal sits on the live heap (79–92 MiB)', () => {
    const late = parseGctrace(bundleLog('pub-gc-thrash')).value.cycles.filter((c) => c.num >= 19);
    expect(late).toHaveLength(320);
    for (const c of late) {
      expect(c.cpuPercent).toBeGreaterThanOrEqual(53);
      expect(c.cpuPercent).toBeLessThanOrEqual(56);
      expect(c.liveHeapBytes).toBeGreaterThanOrEqual(79 * MIB);
      expect(c.liveHeapBytes).toBeLessThanOrEqual(92 * MIB);
      expect(c.goalBytes / c.liveHeapBytes).toBeLessThan(1.11);
    }
    expect(late[0]!.atSeconds).toBe(2.37);
  });

  it('pub-healthy-go: from gc 5 every cycle ends at 31 MiB live (one at 33), the goal at 63 MiB (one at 66)', () => {
    const { cycles } = parseGctrace(bundleLog('pub-healthy-go')).value;
    const live = cycles.filter((c) => c.num >= 5).map((c) => c.liveHeapBytes / MIB);
    expect(live.filter((v) => v === 31)).toHaveLength(11);
    expect(live.filter((v) => v !== 31)).toEqual([33]);
    const goals = cycles.filter((c) => c.num >= 6).map((c) => c.goalBytes / MIB);
    expect(goals.filter((v) => v !== 63)).toEqual([66]);
  });

  it('pub-no-memlimit: all 7 cycles in the first 0.62 s, the last one `130->136->135 MB, 153 MB goal`', () => {
    const { cycles } = parseGctrace(bundleLog('pub-no-memlimit')).value;
    expect(cycles.every((c) => c.atSeconds <= 0.622)).toBe(true);
    expect(cycles[6]).toMatchObject({
      heapStartBytes: 130 * MIB,
      heapEndBytes: 136 * MIB,
      liveHeapBytes: 135 * MIB,
      goalBytes: 153 * MIB,
      stacksBytes: 0,
    });
  });

  it('pub-fragmentation and pub-goroutine-leak: figures from the bundle README', () => {
    const frag = parseGctrace(bundleLog('pub-fragmentation')).value.cycles;
    const evict = frag.find((c) => c.atSeconds === 12.71)!;
    expect([evict.heapStartBytes, evict.heapEndBytes, evict.liveHeapBytes]).toEqual([
      463 * MIB,
      465 * MIB,
      36 * MIB,
    ]);
    const leak = parseGctrace(bundleLog('pub-goroutine-leak')).value.cycles;
    expect(leak[leak.length - 1]!.stacksBytes).toBe(6 * MIB);
  });

  it('fills the series columns with the same values as the cycles', () => {
    const { cycles, series } = parseGctrace(bundleLog('pub-map-leak')).value;
    expect(series!.stride).toBe(1);
    expect(Array.from(series!.atSeconds)).toEqual(cycles.map((c) => c.atSeconds));
    expect(Array.from(series!.liveHeapBytes)).toEqual(cycles.map((c) => c.liveHeapBytes));
    expect(Array.from(series!.goalBytes)).toEqual(cycles.map((c) => c.goalBytes));
    expect(Array.from(series!.heapStartBytes)).toEqual(cycles.map((c) => c.heapStartBytes));
    expect(Array.from(series!.cpuPercent)).toEqual(cycles.map((c) => c.cpuPercent));
    expect(Array.from(series!.num)).toEqual(cycles.map((c) => c.num));
    expect(Array.from(series!.stacksBytes)).toEqual(cycles.map((c) => c.stacksBytes ?? NaN));
    expect(Array.from(series!.line)).toEqual(cycles.map((c) => c.line));
  });
});

describe('parseGctrace on hand-made variants', () => {
  it('Go ≤1.17 lines (no stacks/globals), `(forced)`, `GC forced` and the old `scvg` lines', () => {
    const { value, warnings } = parseGctrace(fixture('go117.log'));
    expect(warnings).toEqual([]);
    expect(value.cycles.map((c) => [c.num, c.line, c.forced])).toEqual([
      [1, 1, false],
      [2, 2, false],
      [3, 4, true],
      [4, 6, false],
      [5, 9, false],
    ]);
    expect(value.cycles[2]).toMatchObject({ liveHeapBytes: 6 * MIB, goalBytes: 10 * MIB, procs: 8 });
    expect(value.cycles[2]!.stacksBytes).toBeUndefined();
    expect(value.cycles[2]!.globalsBytes).toBeUndefined();
    expect(value.cycles[4]!.wallMs).toEqual([0.05, 12, 0.04]);
    expect(value.forcedGcLines).toBe(1);
    expect(value.otherLines).toBe(1);
    expect(value.scavenges).toEqual([
      { line: 7, releasedBytes: MIB, raw: 'scvg0: 1 MB released' },
      {
        line: 8,
        heapReleasedBytes: 2 * MIB,
        raw: 'scvg0: inuse: 7, idle: 3, sys: 11, released: 2, consumed: 9 (MB)',
      },
    ]);
  });

  it('every scavenger format; a cut `scav` line gives a warning', () => {
    const { value, warnings } = parseGctrace(fixture('scav.log'));
    expect(value.scavenges.map((s) => [s.line, s.releasedBytes, s.heapReleasedBytes])).toEqual([
      [1, 12 * MIB, undefined],
      [2, undefined, 12 * MIB],
      [3, 3 * MIB, undefined],
      [4, 1024 * 1024, 20480 * 1024],
      [5, 2048 * 1024, 4096 * 1024],
      [6, 512 * 1024, 4608 * 1024],
      [7, 186960 * 1024, 208712 * 1024],
    ]);
    expect(value.scavengeCount).toBe(7);
    expect(value.cycles).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ line: 9 });
    expect(warnings[0]!.message).toMatch(/scavenger/);
    expect(value.otherLines).toBe(1);
  });

  it('CRI-wrapped lines (kubelet log files), joining `P` partial pieces and reading CRLF', () => {
    const { value, warnings } = parseGctrace(fixture('cri.log'));
    expect(warnings).toEqual([]);
    expect(value.cycles.map((c) => [c.num, c.line, c.liveHeapBytes / MIB])).toEqual([
      [1, 2, 0],
      [2, 3, 1],
      [3, 6, 1],
      [4, 8, 1],
      [5, 9, 1],
    ]);
    expect(value.forcedGcLines).toBe(1);
    expect(value.otherLines).toBe(2);
  });

  it('docker json-file lines (with a split entry) and JSON log lines with `msg` / `message`', () => {
    const { value, warnings } = parseGctrace(fixture('docker-json.log'));
    expect(value.cycles.map((c) => [c.num, c.line, c.forced])).toEqual([
      [1, 2, false],
      [2, 3, false],
      [3, 6, false],
      [4, 7, true],
    ]);
    expect(value.cycles[1]!.goalBytes).toBe(4 * MIB);
    expect(value.forcedGcLines).toBe(1);
    expect(value.otherLines).toBe(2);
    // The last line is JSON cut in the middle of its gctrace text.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ line: 9 });
  });

  it('a JSON log line inside a CRI line', () => {
    const gc = bundleLog('pub-map-leak').split('\n')[1]!;
    const line = `2026-11-25T10:00:00.5Z stderr F {"level":"debug","msg":${JSON.stringify(gc)}}`;
    const { value, warnings } = parseGctrace(`${line}\n`);
    expect(warnings).toEqual([]);
    expect(value.cycles.map((c) => [c.num, c.line])).toEqual([[2, 1]]);
  });

  it('gctrace behind a prefix (timestamp, `app | `, syslog); words like `pgc 9 @` are not gctrace', () => {
    const { value, warnings } = parseGctrace(fixture('prefixed.log'));
    expect(warnings).toEqual([]);
    expect(value.cycles.map((c) => [c.num, c.line])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(value.forcedGcLines).toBe(1);
    expect(value.scavenges).toHaveLength(1);
    expect(value.otherLines).toBe(2);
  });

  it('warns with the line number for each truncated or garbled gctrace line and keeps the rest', () => {
    const { value, warnings } = parseGctrace(fixture('truncated.log'));
    expect(value.cycles.map((c) => c.num)).toEqual([1, 3, 7]);
    expect(warnings.map((w) => w.line)).toEqual([2, 4, 5, 6, 8]);
    expect(warnings[0]!.message).toMatch(/column 88/);
    expect(value.otherLines).toBe(0);
  });

  it('warns when the gc number goes backwards (a restart into the same log)', () => {
    const { value, warnings } = parseGctrace(fixture('restart.log'));
    expect(value.cycles.map((c) => c.num)).toEqual([41, 42, 1, 2]);
    expect(value.restarts).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ line: 4 });
    expect(warnings[0]!.message).toMatch(/gc 1 follows gc 42/);
  });

  it('empty and blank input give an empty log without warnings', () => {
    for (const text of ['', '\n', '\n\r\n  \n']) {
      const { value, warnings } = parseGctrace(text);
      expect(warnings).toEqual([]);
      expect(value.cycles).toEqual([]);
      expect(value.cycleCount).toBe(0);
      expect(value.series!.atSeconds).toHaveLength(0);
    }
    expect(parseGctrace('  \n').value.otherLines).toBe(1);
  });

  it('survives binary garbage around real lines', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const garbage = (n: number) =>
      String.fromCharCode(...Array.from({ length: n }, () => Math.floor(rand() * 256)));
    const good = bundleLog('pub-map-leak').split('\n')[0]!;
    const text = [
      garbage(500),
      good,
      garbage(3000),
      'gc 7 @\u0000\u0001',
      good.replace('gc 1 ', 'gc 2 '),
    ].join('\n');
    const { value, warnings } = parseGctrace(text);
    expect(value.cycles.map((c) => c.num)).toEqual([1, 2]);
    const gcLine = text.split('\n').findIndex((l) => l.startsWith('gc 7 @')) + 1;
    expect(warnings.map((w) => w.line)).toContain(gcLine);
    const control = (s: string) => [...s].some((ch) => ch.charCodeAt(0) < 0x20);
    for (const w of warnings) expect(control(w.message)).toBe(false);
  });
});
