import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * This machine’s memory cgroup, found the plain way (no mountinfo, independent of the code under test):
 * the `memory` line (v1) or the `0::` line (v2) of /proc/self/cgroup, looked up under the
 * usual mount points. Inside a container the hierarchy is often mounted at its own cgroup,
 * so the bare mount point is tried last.
 */
export function findLocalCgroupDir(): { dir: string; version: 1 | 2 } | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const v1 = lines
    .map((l) => /^\d+:([^:]*):(.*)$/.exec(l))
    .find((m) => m?.[1]?.split(',').includes('memory'))?.[2];
  if (v1 !== undefined) {
    for (const dir of [join('/sys/fs/cgroup/memory', v1), '/sys/fs/cgroup/memory']) {
      if (existsSync(join(dir, 'memory.usage_in_bytes'))) return { dir, version: 1 };
    }
  }
  const v2 = /^0::(.*)$/m.exec(text)?.[1];
  if (v2 !== undefined) {
    for (const dir of [join('/sys/fs/cgroup', v2), join('/sys/fs/cgroup/unified', v2), '/sys/fs/cgroup']) {
      if (existsSync(join(dir, 'memory.current'))) return { dir, version: 2 };
    }
  }
  return undefined;
}
