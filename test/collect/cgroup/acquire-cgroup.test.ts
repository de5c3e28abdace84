import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireCgroup, cgroupLimitBytes } from '../../../engine/collect/cgroup/acquire-cgroup.js';
import { MAP_LEAK } from '../helpers/replay-server.js';
import { findLocalCgroupDir } from '../helpers/local-system.js';

const local = findLocalCgroupDir();
const V2 = 'test/fixtures/collect/cgroup-v2';

describe('acquireCgroup on this machine', () => {
  it.skipIf(!local)(
    'reads the memory files of the real cgroup, detects the version, and the stable ones match',
    async () => {
      const { dir, version } = local!;
      const res = await acquireCgroup(dir);
      expect(res.status).toBe('ok');
      expect(res.value?.version).toBe(version);
      const files = res.value?.files ?? {};
      if (version === 1) {
        expect(Object.keys(files)).toEqual(
          expect.arrayContaining(['memory.stat', 'memory.usage_in_bytes', 'memory.limit_in_bytes']),
        );
        expect(files['memory.stat']).toMatch(/^total_rss \d+$/m);
        expect(files['memory.limit_in_bytes']).toBe(
          await readFile(join(dir, 'memory.limit_in_bytes'), 'utf8'),
        );
      } else {
        expect(Object.keys(files)).toEqual(
          expect.arrayContaining(['memory.stat', 'memory.current', 'memory.max']),
        );
        expect(files['memory.stat']).toMatch(/^anon \d+$/m);
        expect(files['memory.max']).toBe(await readFile(join(dir, 'memory.max'), 'utf8'));
      }
      expect(Number((files['memory.usage_in_bytes'] ?? files['memory.current'])?.trim())).toBeGreaterThan(0);
    },
  );
});

describe('acquireCgroup on captured and hand-made directories', () => {
  it('reads a captured v1 snapshot of pub-map-leak (256 MiB limit)', async () => {
    const res = await acquireCgroup(join(MAP_LEAK, 'cgroup', '1795636282408'));
    expect(res.status).toBe('ok');
    expect(res.value?.version).toBe(1);
    expect(Object.keys(res.value?.files ?? {}).sort()).toEqual([
      'memory.failcnt',
      'memory.limit_in_bytes',
      'memory.max_usage_in_bytes',
      'memory.oom_control',
      'memory.pressure',
      'memory.stat',
      'memory.usage_in_bytes',
    ]);
    expect(cgroupLimitBytes(res.value?.files ?? {})).toBe(268435456);
  });

  it('reads a v2 directory and ignores non-memory files', async () => {
    const res = await acquireCgroup(V2);
    expect(res.value?.version).toBe(2);
    expect(Object.keys(res.value?.files ?? {})).toHaveLength(10);
    expect(res.value?.files['cgroup.controllers']).toBeUndefined();
    expect(res.value?.files['memory.high']).toBe('max\n');
    expect(cgroupLimitBytes(res.value?.files ?? {})).toBe(268435456);
  });

  it('fails with a warning on a directory that is not a memory cgroup', async () => {
    const res = await acquireCgroup('test/fixtures/collect');
    expect(res.status).toBe('failed');
    expect(res.warnings[0]?.message).toMatch(/no memory cgroup files/);
    expect((await acquireCgroup('/nonexistent/cg')).status).toBe('failed');
  });

  it('treats v2 "max" and v1 PAGE_COUNTER_MAX as unlimited', () => {
    expect(cgroupLimitBytes({ 'memory.max': 'max\n' })).toBeUndefined();
    expect(cgroupLimitBytes({ 'memory.limit_in_bytes': '9223372036854771712\n' })).toBeUndefined();
    expect(cgroupLimitBytes({ 'memory.limit_in_bytes': 'garbage' })).toBeUndefined();
    expect(cgroupLimitBytes({})).toBeUndefined();
  });
});
