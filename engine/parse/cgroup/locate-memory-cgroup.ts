import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a process's memory cgroup lives on this host. */
export interface MemoryCgroupLocation {
  /** Mount type of the memory controller: `cgroup` (v1) or `cgroup2` (v2). */
  version: 1 | 2;
  /** Directory holding the process's memory.* files. */
  dir: string;
  /**
   * The process's v2 group, where memory.pressure lives. On hybrid hosts (v1 memory controller
   * plus a cgroup2 mount, e.g. /sys/fs/cgroup/unified) it differs from `dir`.
   */
  pressureDir?: string;
}

interface Mount {
  root: string;
  mountPoint: string;
  fsType: string;
  superOptions: string[];
}

/**
 * Resolve the memory cgroup from the texts of /proc/<pid>/cgroup (`id:controllers:path`, see
 * cgroups(7)) and /proc/<pid>/mountinfo (proc(5)). Pure, so it can be tested on any host.
 * The v1 memory controller wins when it is mounted, since then v2 has no memory controller.
 */
export function resolveMemoryCgroup(
  cgroupText: string,
  mountinfoText: string,
): MemoryCgroupLocation | undefined {
  const mounts = parseMountinfo(mountinfoText);
  let v1Path: string | undefined;
  let v2Path: string | undefined;
  for (const line of cgroupText.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, id, controllers, path] = m as unknown as [string, string, string, string];
    if (id === '0' && controllers === '') v2Path = path;
    else if (controllers.split(',').includes('memory')) v1Path = path;
  }
  const v2Mount = mounts.find((mt) => mt.fsType === 'cgroup2');
  const v2Dir = v2Path !== undefined && v2Mount ? under(v2Mount, v2Path) : undefined;
  const v1Mount = mounts.find((mt) => mt.fsType === 'cgroup' && mt.superOptions.includes('memory'));
  if (v1Path !== undefined && v1Mount) {
    const dir = under(v1Mount, v1Path);
    if (dir !== undefined)
      return v2Dir === undefined ? { version: 1, dir } : { version: 1, dir, pressureDir: v2Dir };
  }
  if (v2Dir !== undefined) return { version: 2, dir: v2Dir, pressureDir: v2Dir };
  return undefined;
}

/**
 * Locate a live process's memory cgroup (default: this process). Returns undefined when no
 * memory controller is mounted or, for v2, when the group has no memory files (controller not
 * enabled in the parent's cgroup.subtree_control).
 */
export async function locateMemoryCgroup(
  pid: number | 'self' = 'self',
  procRoot = '/proc',
): Promise<MemoryCgroupLocation | undefined> {
  const base = join(procRoot, String(pid));
  const [cgroupText, mountinfoText] = await Promise.all([
    readFile(join(base, 'cgroup'), 'utf8'),
    readFile(join(base, 'mountinfo'), 'utf8'),
  ]).catch(() => [undefined, undefined] as const);
  if (cgroupText === undefined || mountinfoText === undefined) return undefined;
  const loc = resolveMemoryCgroup(cgroupText, mountinfoText);
  if (!loc) return undefined;
  const marker = loc.version === 1 ? 'memory.usage_in_bytes' : 'memory.stat';
  const ok = await access(join(loc.dir, marker)).then(
    () => true,
    () => false,
  );
  return ok ? loc : undefined;
}

function parseMountinfo(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    const dash = fields.indexOf('-');
    if (dash < 6 || fields.length < dash + 4) continue;
    mounts.push({
      root: unescape(fields[3] as string),
      mountPoint: unescape(fields[4] as string),
      fsType: fields[dash + 1] as string,
      superOptions: (fields[dash + 3] as string).split(','),
    });
  }
  return mounts;
}

/** The directory of cgroup `path` inside a mount whose root is `mount.root` (bind mounts in containers). */
function under(mount: Mount, path: string): string | undefined {
  const root = mount.root === '/' ? '' : mount.root;
  if (root !== '' && path !== root && !path.startsWith(`${root}/`)) return undefined;
  const rest = path.slice(root.length);
  return rest === '' || rest === '/' ? mount.mountPoint : join(mount.mountPoint, rest);
}

/** mountinfo escapes space, tab, newline and backslash as octal (`\040`). */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}
