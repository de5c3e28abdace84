import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCgroupFiles } from '../../../engine/parse/cgroup/parse-cgroup.js';
import { readCgroupDir } from '../../../engine/parse/cgroup/read-cgroup-dir.js';
import type { CgroupSnapshot } from '../../../engine/parse/cgroup/types.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const INCIDENTS = join(ROOT, 'examples/incidents');
const FIXTURES = join(ROOT, 'test/fixtures/cgroup');
const MiB = 1024 * 1024;

/** Every `cgroup/<ts>/` snapshot of a real bundle, parsed, in time order. */
async function series(bundle: string): Promise<{ snaps: CgroupSnapshot[]; warnings: number }> {
  const dir = join(INCIDENTS, bundle, 'cgroup');
  const stamps = readdirSync(dir).sort();
  let warnings = 0;
  const snaps: CgroupSnapshot[] = [];
  for (const ts of stamps) {
    const r = parseCgroupFiles(await readCgroupDir(join(dir, ts)), Number(ts));
    warnings += r.warnings.length;
    snaps.push(r.value);
  }
  return { snaps, warnings };
}

async function fixture(name: string) {
  return parseCgroupFiles(await readCgroupDir(join(FIXTURES, name)));
}

describe('parseCgroupFiles on the captured v1 bundles', () => {
  it('reads every snapshot of all eleven bundles as v1 without a warning', async () => {
    const bundles = readdirSync(INCIDENTS).filter((b) => b.startsWith('pub-'));
    expect(bundles).toHaveLength(11);
    for (const b of bundles) {
      const { snaps, warnings } = await series(b);
      expect(warnings, b).toBe(0);
      expect(snaps.length, b).toBeGreaterThan(20);
      for (const s of snaps) {
        expect(s.version).toBe(1);
        // memory.pressure in these v1 folders comes from the v2 hierarchy: it must not flip the version.
        expect(s.pressure?.some).toBeDefined();
        expect(s.limitBytes).toBeGreaterThan(0);
        // hierarchical_memsw_limit is 9223372036854771712: kept as text, not rounded into rawStat.
        expect(s.rawStatOversized).toEqual({ hierarchical_memsw_limit: '9223372036854771712' });
        expect(s.rawStat.hierarchical_memsw_limit).toBeUndefined();
        expect(s.hierarchicalLimitBytes).toBe(s.limitBytes);
      }
    }
  });

  it('pub-reclaim-pressure: usage pinned at the 96 MiB limit, mapped_file, failcnt, refaults, PSI', async () => {
    const { snaps } = await series('pub-reclaim-pressure');
    const first = snaps[0] as CgroupSnapshot;
    const last = snaps.at(-1) as CgroupSnapshot;
    const lastRunning = snaps.at(-2) as CgroupSnapshot;
    const start = 1795636613163;
    expect(first.ts).toBe(1795636613165);
    expect(first.usageBytes).toBe(0);
    expect(last.limitBytes).toBe(100663296);
    // From t = 2 s until the process was gone, usage stays at 95.7–96.0 MiB.
    const pinned = snaps.filter((s) => (s.ts as number) - start >= 2000 && s !== last);
    expect(pinned.length).toBeGreaterThan(55);
    for (const s of pinned) {
      expect((s.usageBytes as number) / MiB).toBeGreaterThanOrEqual(95.7);
      expect((s.usageBytes as number) / MiB).toBeLessThanOrEqual(96.01);
    }
    expect(lastRunning.stat.fileMappedBytes).toBe(93118464);
    expect(last.failcnt).toBe(413690);
    expect(last.peakBytes).toBe(100667392);
    // Hierarchical totals: pgmajfault +612k-ish, workingset_refault_file +531k over the run.
    expect((last.stat.pgmajfault as number) - (first.stat.pgmajfault as number)).toBe(613536);
    expect((last.stat.workingsetRefaultFile as number) - (first.stat.workingsetRefaultFile as number)).toBe(
      531619,
    );
    expect(last.stat.anonBytes).toBe(last.rawStat.total_rss);
    expect(Math.max(...snaps.map((s) => s.pressure?.some?.avg10 ?? 0))).toBe(17.24);
    expect(last.oomKills).toBe(0);
    expect(last.underOom).toBe(false);
    expect(last.oomKillDisable).toBe(false);
  });

  it('pub-no-memlimit: failcnt climbs at the 256 MiB limit, then the last snapshot shows oom_kill 1', async () => {
    const { snaps } = await series('pub-no-memlimit');
    const last = snaps.at(-1) as CgroupSnapshot;
    expect(last.limitBytes).toBe(256 * MiB);
    expect(last.oomKills).toBe(1);
    expect(snaps.slice(0, -1).every((s) => s.oomKills === 0)).toBe(true);
    const failcnts = snaps.map((s) => s.failcnt as number).filter((f) => f > 0);
    expect(failcnts[0]).toBe(1284);
    expect(last.failcnt).toBe(527788);
    expect(last.usageBytes).toBe(2265088);
    expect(last.pressure?.some?.avg10).toBe(3.74);
  });

  it('pub-oom-no-runtime: failcnt 34 → 1 908 737 at 160 MiB, then oom_kill 1', async () => {
    const { snaps } = await series('pub-oom-no-runtime');
    const last = snaps.at(-1) as CgroupSnapshot;
    expect(last.limitBytes).toBe(160 * MiB);
    expect(last.oomKills).toBe(1);
    expect(snaps.map((s) => s.failcnt as number).find((f) => f > 0)).toBe(34);
    expect(last.failcnt).toBe(1908737);
    expect(Math.max(...snaps.map((s) => s.usageBytes as number)) / MiB).toBeCloseTo(160.0, 1);
    expect(last.pressure?.some?.avg10).toBe(14.24);
  });
});

describe('parseCgroupFiles on hand-made v2 folders', () => {
  it('v2-limited: numeric max, "max" high, peak, events with OOM kills, v2 stat names', async () => {
    const { value, warnings } = await fixture('v2-limited');
    expect(warnings).toEqual([]);
    expect(value.version).toBe(2);
    expect(value.usageBytes).toBe(157286400);
    expect(value.limitBytes).toBe(268435456);
    expect(value.highBytes).toBeNull();
    expect(value.lowBytes).toBe(0);
    expect(value.minBytes).toBe(0);
    expect(value.peakBytes).toBe(201326592);
    expect(value.events).toEqual({ low: 0, high: 0, max: 17, oom: 2, oom_kill: 2, oom_group_kill: 0 });
    expect(value.oomKills).toBe(2);
    expect(value.failcnt).toBeUndefined();
    expect(value.stat).toMatchObject({
      anonBytes: 104857600,
      fileBytes: 41943040,
      fileMappedBytes: 20971520,
      shmemBytes: 0,
      pgscan: 4096,
      pgsteal: 4000,
      pgmajfault: 12,
      workingsetRefaultAnon: 0,
      workingsetRefaultFile: 120,
      workingsetActivateFile: 37,
    });
    expect(value.stat.pgpgin).toBeUndefined();
    expect(value.rawStat.pgscan_direct).toBe(4096);
    expect(value.pressure?.full?.totalMicros).toBe(4487310);
    expect(value.hierarchicalLimitBytes).toBeUndefined();
  });

  it('v2-unlimited-5.4: "max" limit is null, old workingset names map to the file counters', async () => {
    const { value, warnings } = await fixture('v2-unlimited-5.4');
    expect(warnings).toEqual([]);
    expect(value.version).toBe(2);
    expect(value.limitBytes).toBeNull();
    expect(value.highBytes).toBe(209715200);
    expect(value.lowBytes).toBe(67108864);
    expect(value.minBytes).toBe(33554432);
    expect(value.peakBytes).toBeUndefined();
    expect(value.events?.oom_group_kill).toBeUndefined();
    expect(value.oomKills).toBe(0);
    expect(value.stat.workingsetRefaultFile).toBe(88213);
    expect(value.stat.workingsetActivateFile).toBe(20113);
    expect(value.stat.workingsetRefaultAnon).toBeUndefined();
    expect(value.stat.pgscan).toBe(210455);
  });

  it('reads swapped-out memory: v2 memory.swap.current, v1 memory.stat total_swap (swap accounting)', () => {
    const v2 = parseCgroupFiles({
      'memory.current': '1048576\n',
      'memory.max': 'max\n',
      'memory.swap.current': '8192\n',
      'memory.stat': 'anon 4096\nfile 0\n',
    });
    expect(v2.value.swapBytes).toBe(8192);
    const v1 = parseCgroupFiles({
      'memory.usage_in_bytes': '1048576\n',
      'memory.stat': 'cache 0\nrss 4096\nswap 0\ntotal_cache 0\ntotal_rss 4096\ntotal_swap 12288\n',
    });
    expect(v1.value.swapBytes).toBe(12288);
    // Without swap accounting v1 prints no swap line: unknown, not zero.
    const noAccounting = parseCgroupFiles({
      'memory.usage_in_bytes': '1\n',
      'memory.stat': 'cache 0\nrss 4096\n',
    });
    expect(noAccounting.value.swapBytes).toBeUndefined();
  });
});
