import { describe, expect, it } from 'vitest';
import { deriveCgroup, runningCgroup, type CgroupReading } from '../../engine/facts/derive-cgroup.js';
import { FactSetBuilder } from '../../engine/facts/fact-set-builder.js';

const MIB = 2 ** 20;
const reading = (ts: number, usage: number, anon = usage, mapped?: number): CgroupReading => ({
  ts,
  usageBytes: usage,
  limitBytes: 256 * MIB,
  stat: { anonBytes: anon, ...(mapped !== undefined ? { fileMappedBytes: mapped } : {}) },
});

describe('cgroup time to the limit', () => {
  it('a staircase (a map doubling) gives a range, not one straight-line projection', () => {
    // Flat, a step of 60 MiB, flat again: a line through it says little about the next step.
    const readings = Array.from({ length: 40 }, (_, i) =>
      reading(1000 * i, (i < 20 ? 40 : 100) * MIB + (i % 3) * MIB),
    );
    const out = new FactSetBuilder();
    deriveCgroup(readings, { limitBytes: 256 * MIB }, out);
    const v = out.build().values;
    expect(v['cgroup.usageTrendR2']).toBeLessThan(0.9);
    const low = v['cgroup.secondsToLimitLow'] as number;
    const high = v['cgroup.secondsToLimitHigh'] as number;
    expect(low).toBeLessThan(v['cgroup.secondsToLimit'] as number);
    expect(high).toBeGreaterThanOrEqual(v['cgroup.secondsToLimit'] as number);
  });

  it('a straight line gives one projection at the stated rate', () => {
    const readings = Array.from({ length: 30 }, (_, i) => reading(1000 * i, (50 + 2 * i) * MIB));
    const out = new FactSetBuilder();
    deriveCgroup(readings, { limitBytes: 256 * MIB }, out);
    const v = out.build().values;
    expect(v['cgroup.usageSlopeBytesPerSecond']).toBeCloseTo(2 * MIB, 0);
    expect(v['cgroup.secondsToLimit']).toBeCloseTo((256 - 108) / 2, 3);
    expect(v['cgroup.secondsToLimitLow']).toBeUndefined();
  });

  it('drops trailing readings after the process exited, even with page cache near the limit', () => {
    const run = Array.from({ length: 10 }, (_, i) => reading(1000 * i, 250 * MIB, 20 * MIB, 200 * MIB));
    const after = reading(10_500, 230 * MIB, 0, 0);
    expect(runningCgroup([...run, after])).toHaveLength(10);
    // A process that frees its anonymous memory but still maps its files has not exited.
    const alive = reading(10_500, 230 * MIB, 0, 200 * MIB);
    expect(runningCgroup([...run, alive])).toHaveLength(11);
  });
});
