import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BundleError } from '../../../engine/errors.js';
import { locateMemoryCgroup } from '../../../engine/parse/cgroup/locate-memory-cgroup.js';
import { parseCgroupFiles } from '../../../engine/parse/cgroup/parse-cgroup.js';
import { readCgroupDir } from '../../../engine/parse/cgroup/read-cgroup-dir.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'memtriage-cgroup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('readCgroupDir', () => {
  it('reads exactly the known files of a bundle snapshot, byte for byte', async () => {
    const dir = join(ROOT, 'examples/incidents/pub-no-memlimit/cgroup/1795636612025');
    const files = await readCgroupDir(dir);
    expect(Object.keys(files).sort()).toEqual([
      'memory.failcnt',
      'memory.limit_in_bytes',
      'memory.max_usage_in_bytes',
      'memory.oom_control',
      'memory.pressure',
      'memory.stat',
      'memory.usage_in_bytes',
    ]);
    expect(files['memory.oom_control']).toBe(readFileSync(join(dir, 'memory.oom_control'), 'utf8'));
    expect(files['memory.oom_control']).toBe('oom_kill_disable 0\nunder_oom 0\noom_kill 1\n');
  });

  it('ignores unknown files, gives {} for an empty folder, and throws BundleError for a missing one', async () => {
    const dir = join(scratch, 'snap');
    rmSync(dir, { recursive: true, force: true });
    await expect(readCgroupDir(dir)).rejects.toBeInstanceOf(BundleError);
    await expect(readCgroupDir(dir)).rejects.toMatchObject({ code: 'MT_ERR_BUNDLE_INVALID' });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    expect(await readCgroupDir(dir)).toEqual({});
    writeFileSync(join(dir, 'memory.current'), '4096\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a cgroup file');
    writeFileSync(join(dir, 'memory.reclaim'), '');
    expect(await readCgroupDir(dir)).toEqual({ 'memory.current': '4096\n' });
  });

  it('caps a huge file at 1 MiB instead of reading it whole', async () => {
    const dir = join(scratch, 'huge');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'memory.stat'), 'anon 1\n'.repeat(300_000));
    const files = await readCgroupDir(dir);
    expect(files['memory.stat']?.length).toBe(1 << 20);
    const parsed = parseCgroupFiles(files);
    expect(parsed.value.stat.anonBytes).toBe(1);
    // 150k repeated keys: the warnings are capped, not one per line.
    expect(parsed.warnings.length).toBeLessThanOrEqual(102);
    expect(parsed.warnings.at(-1)?.message).toBe('memory.stat: further warnings suppressed');
  });

  it('takes memory.pressure from pressureDir when the memory dir has none (hybrid hosts)', async () => {
    const mem = join(scratch, 'v1mem');
    const uni = join(scratch, 'unified');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(mem, { recursive: true });
    mkdirSync(uni, { recursive: true });
    writeFileSync(join(mem, 'memory.usage_in_bytes'), '8192\n');
    writeFileSync(join(uni, 'memory.pressure'), 'some avg10=0.50 avg60=0.10 avg300=0.00 total=42\n');
    const files = await readCgroupDir(mem, { pressureDir: uni });
    const { value } = parseCgroupFiles(files);
    expect(value.version).toBe(1);
    expect(value.pressure?.some?.totalMicros).toBe(42);
  });
});

describe("this machine's own memory cgroup", () => {
  it('is located from /proc/self/cgroup + mountinfo, read, and parsed as the version of its mount', async () => {
    const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
    const hasV1Memory = mountinfo.split('\n').some((l) => / - cgroup \S+ \S*\bmemory\b/.test(l));
    const hasV2 = mountinfo.split('\n').some((l) => / - cgroup2 /.test(l));
    const loc = await locateMemoryCgroup();
    if (!loc) {
      // No memory controller reachable here: then neither a v1 memory mount nor a v2 group with memory files exists.
      expect(hasV1Memory).toBe(false);
      return;
    }
    expect(loc.version).toBe(hasV1Memory ? 1 : 2);
    if (loc.version === 2) expect(hasV2).toBe(true);
    const files = await readCgroupDir(
      loc.dir,
      loc.pressureDir === undefined ? {} : { pressureDir: loc.pressureDir },
    );
    const { value, warnings } = parseCgroupFiles(files, Date.now());
    expect(warnings).toEqual([]);
    expect(value.version).toBe(loc.version);
    expect(Object.keys(value.rawStat).length).toBeGreaterThan(5);
    if (loc.version === 1) {
      // This process lives in the cgroup, so it is charged something; the limit matches the raw text.
      expect(value.usageBytes).toBeGreaterThan(0);
      const rawLimit = BigInt((files['memory.limit_in_bytes'] as string).trim());
      expect(value.limitBytes).toBe(rawLimit >= 2n ** 62n ? null : Number(rawLimit));
    } else if (files['memory.max'] !== undefined) {
      const rawMax = (files['memory.max'] as string).trim();
      expect(value.limitBytes).toBe(rawMax === 'max' ? null : Number(rawMax));
    }
  });
});
