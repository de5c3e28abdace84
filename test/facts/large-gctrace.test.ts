import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../engine/bundle/read-bundle.js';
import { firstHalf } from '../../engine/eval/degrade.js';
import { buildFacts } from '../../engine/facts/build-facts.js';
import { steadyState } from '../../engine/facts/derive-context.js';
import { MAX_SERIES_POINTS, linearFit, median } from '../../engine/facts/series.js';
import { parseGctrace } from '../../engine/parse/gctrace/parse-gctrace.js';
import type { GcCycle } from '../../engine/parse/gctrace/types.js';

const MIB = 2 ** 20;
const START = 1_795_636_000_000;
/** Beyond the parser's series cap (2^17): the series is thinned, stride 2. */
const LARGE = 200_000;
/** Under the cap: every cycle is a point, and facts must be exactly those of the cycle objects. */
const SMALL = 20_000;
/** A one-cycle spike on a point the thinned series keeps (cycle n is point (n − 1) / 2). */
const SPIKE = 150_001;

/** Cycle n at @n/2 s; the live heap climbs 1 MB per 100 cycles, with one spike; every 1000th forced. */
function log(cycles: number): string {
  const lines: string[] = [];
  for (let n = 1; n <= cycles; n++) {
    const live = n === SPIKE ? 5000 : 100 + Math.floor(n / 100);
    const forced = n % 1000 === 0 ? ' (forced)' : '';
    lines.push(
      `gc ${n} @${(n / 2).toFixed(3)}s 3%: 0.01+1.0+0.01 ms clock, 0.02+0/1.0/0+0.02 ms cpu, ${live + 5}->${live + 9}->${live} MB, ${2 * live} MB goal, ${n % 7} MB stacks, 0 MB globals, 4 P${forced}`,
    );
    if (n % 50_000 === 0) lines.push('GC forced', 'application line');
  }
  return `${lines.join('\n')}\n`;
}

function bundleDir(root: string, name: string, cycles: number): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'gctrace.log'), log(cycles));
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({ runtime: 'go1.22.5', startUnixMs: START, endUnixMs: START + (cycles / 2) * 1000 }),
  );
  return dir;
}

/** The gctrace facts as derived from GcCycle objects before the columns (reference). */
function reference(cycles: GcCycle[], forcedGcLines: number) {
  const span = cycles.at(-1)!.atSeconds - cycles[0]!.atSeconds;
  const live = cycles.map((c) => ({ t: START + c.atSeconds * 1000, v: c.liveHeapBytes }));
  const fit = linearFit(steadyState(live))!;
  return {
    'gctrace.cycles': cycles.length,
    'gctrace.liveHeapMaxBytes': Math.max(...cycles.map((c) => c.liveHeapBytes)),
    'gctrace.forcedCycles': cycles.filter((c) => c.forced).length + forcedGcLines,
    'gctrace.gcPerSecond': (cycles.length - 1) / span,
    'gctrace.gcIntervalSeconds': median(cycles.slice(1).map((c, i) => c.atSeconds - cycles[i]!.atSeconds)),
    'gctrace.goalToLiveRatio': median(cycles.slice(-10).map((c) => c.goalBytes / c.liveHeapBytes)),
    'gctrace.liveHeapSlopeBytesPerSecond': fit.slopePerSecond,
    'gctrace.liveHeapTrendR2': fit.r2,
    'gctrace.liveHeapBytes': cycles.at(-1)!.liveHeapBytes,
    'gctrace.stacksBytes': cycles.at(-1)!.stacksBytes,
  };
}

describe('facts from a large gctrace.log, streamed', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'memtriage-large-gctrace-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('under the series cap: exactly the facts of the cycle objects', async () => {
    const dir = bundleDir(root, 'small', SMALL);
    const bundle = await readBundle(dir);
    expect(bundle.gctrace!.value.cycles.length).toBeLessThanOrEqual(64);
    const facts = buildFacts(bundle).values;
    const whole = parseGctrace(log(SMALL)).value;
    for (const [id, want] of Object.entries(reference(whole.cycles, whole.forcedGcLines)))
      expect([id, facts[id]]).toEqual([id, want]);
  });

  it('over the cap: counts and extremes over every cycle, trends from the even sample, bounded series', async () => {
    const dir = bundleDir(root, 'large', LARGE);
    const bundle = await readBundle(dir);
    expect(bundle.gctrace!.value.series!.stride).toBe(2);
    const facts = buildFacts(bundle);
    const v = facts.values;
    expect(v['gctrace.cycles']).toBe(LARGE);
    expect(v['gctrace.liveHeapMaxBytes']).toBe(5000 * MIB);
    expect(v['gctrace.forcedCycles']).toBe(LARGE / 1000 + LARGE / 50_000);
    expect(v['gctrace.liveHeapBytes']).toBe((100 + LARGE / 100) * MIB);
    expect(v['gctrace.windowSeconds']).toBe((LARGE - 1) / 2);
    expect(v['gctrace.gcPerSecond']).toBe(2);
    expect(v['gctrace.gcIntervalSeconds']).toBeCloseTo(0.5, 9);
    expect(v['gctrace.forcedShare']).toBeCloseTo(LARGE / 1000 / (LARGE - 1), 9);
    // 1 MiB per 100 cycles = per 50 s.
    expect(v['gctrace.liveHeapSlopeBytesPerSecond'] as number).toBeCloseTo(MIB / 50, -2);
    expect(v['gctrace.liveHeapTrendR2'] as number).toBeGreaterThan(0.99);
    expect(v['signal.liveHeapSource']).toBe('gctrace');
    expect(v['signal.liveHeapSlopeBytesPerSecond'] as number).toBeCloseTo(MIB / 50, -2);
    expect(v['signal.stacksTrendR2']).toBeDefined();
    for (const points of Object.values(facts.series))
      expect(points.length).toBeLessThanOrEqual(MAX_SERIES_POINTS);
    // Min and max per bucket: the one-cycle spike the sample holds is still on the 2,000-point chart.
    const chart = facts.series['gctrace.liveHeapBytes']!;
    expect(Math.max(...chart.map((p) => p.v))).toBe(5000 * MIB);
    expect(chart.at(-1)!.t).toBe(START + (LARGE / 2) * 1000);
  });

  it('the first-half variant cuts the parsed log at the midpoint', async () => {
    const small = await readBundle(bundleDir(root, 'small-half', SMALL));
    const half = buildFacts(firstHalf(small)!).values;
    // Cycles at @n/2 s up to the midpoint SMALL/4 s: n ≤ SMALL/2.
    expect(half['gctrace.cycles']).toBe(SMALL / 2);
    expect(half['gctrace.liveHeapBytes']).toBe((100 + SMALL / 200) * MIB);
    expect(half['gctrace.forcedCycles']).toBe(SMALL / 2000);

    const large = await readBundle(bundleDir(root, 'large-half', LARGE));
    const cut = firstHalf(large)!;
    const v = buildFacts(cut).values;
    expect(v['gctrace.cycles']).toBe(LARGE / 2);
    expect(v['gctrace.windowSeconds'] as number).toBeLessThanOrEqual(LARGE / 4);
    expect(v['gctrace.liveHeapSlopeBytesPerSecond'] as number).toBeCloseTo(MIB / 50, -2);
    // The spike (cycle 150 001) is past the midpoint; without totals the max is read from the sample.
    expect(v['gctrace.liveHeapMaxBytes']).toBeLessThan(5000 * MIB);
  });
});
