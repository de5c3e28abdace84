import { describe, expect, it } from 'vitest';
import { resolveMemoryCgroup } from '../../../engine/parse/cgroup/locate-memory-cgroup.js';

/** mountinfo lines in proc(5) layout: id parent major:minor root mountpoint options [optional…] - fstype source superoptions */
const HYBRID_MOUNTS = [
  '25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw',
  '28 25 0:26 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '29 28 0:27 / /sys/fs/cgroup/unified rw,relatime shared:10 - cgroup2 cgroup2 rw',
  '33 28 0:31 / /sys/fs/cgroup/memory rw,relatime shared:15 - cgroup cgroup rw,memory',
  '34 28 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:16 - cgroup cgroup rw,cpu,cpuacct',
].join('\n');

describe('resolveMemoryCgroup', () => {
  it('hybrid host: the v1 memory dir, with PSI from the v2 group', () => {
    const cgroup = '12:cpu,cpuacct:/app\n4:memory:/process_api/842221ca\n0::/app.slice\n';
    expect(resolveMemoryCgroup(cgroup, HYBRID_MOUNTS)).toEqual({
      version: 1,
      dir: '/sys/fs/cgroup/memory/process_api/842221ca',
      pressureDir: '/sys/fs/cgroup/unified/app.slice',
    });
  });

  it('pure v2 host: the unified dir, root group maps to the mount point', () => {
    const mounts =
      '30 25 0:27 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot';
    expect(resolveMemoryCgroup('0::/system.slice/orders-api.service\n', mounts)).toEqual({
      version: 2,
      dir: '/sys/fs/cgroup/system.slice/orders-api.service',
      pressureDir: '/sys/fs/cgroup/system.slice/orders-api.service',
    });
    expect(resolveMemoryCgroup('0::/\n', mounts)?.dir).toBe('/sys/fs/cgroup');
  });

  it('container without a cgroup namespace: the mount root is the container path and is stripped', () => {
    const mounts = '700 690 0:31 /docker/abc123 /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory';
    expect(resolveMemoryCgroup('9:memory:/docker/abc123\n', mounts)).toEqual({
      version: 1,
      dir: '/sys/fs/cgroup/memory',
    });
    expect(resolveMemoryCgroup('9:memory:/docker/abc123/sub\n', mounts)?.dir).toBe(
      '/sys/fs/cgroup/memory/sub',
    );
    // A path outside the mounted subtree cannot be reached.
    expect(resolveMemoryCgroup('9:memory:/other\n', mounts)).toBeUndefined();
  });

  it('decodes octal escapes in mount points and ignores garbage lines', () => {
    const mounts = 'garbage\n40 1 0:40 / /mnt/cg\\040v2 rw - cgroup2 none rw\n';
    expect(resolveMemoryCgroup('junk line\n0::/a\n', mounts)?.dir).toBe('/mnt/cg v2/a');
  });

  it('returns undefined when no memory controller is mounted', () => {
    const mounts = '34 28 0:32 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu';
    expect(resolveMemoryCgroup('4:memory:/x\n3:cpu:/x\n', mounts)).toBeUndefined();
    expect(resolveMemoryCgroup('', '')).toBeUndefined();
  });
});
