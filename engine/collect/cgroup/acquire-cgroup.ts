import { readFileCapped } from '../fs/read-capped.js';
import { DEFAULT_MAX_BYTES } from '../types.js';
import { join } from 'node:path';
import type { AcquireContext, AcquireResult } from '../types.js';

/**
 * The memory files worth keeping, per kernel Documentation/admin-guide/cgroup-v1/memory.rst
 * and cgroup-v2.rst. A file that does not exist is skipped silently: which ones exist
 * depends on the version and the kernel (memory.peak is 5.19+, memory.pressure needs PSI).
 */
export const CGROUP_V1_FILES = [
  'memory.stat',
  'memory.usage_in_bytes',
  'memory.limit_in_bytes',
  'memory.max_usage_in_bytes',
  'memory.failcnt',
  'memory.oom_control',
  'memory.pressure',
] as const;

export const CGROUP_V2_FILES = [
  'memory.stat',
  'memory.current',
  'memory.max',
  'memory.high',
  'memory.low',
  'memory.min',
  'memory.events',
  'memory.pressure',
  'memory.peak',
  'memory.swap.current',
] as const;

export interface CgroupFiles {
  /** 2 when memory.current exists (v2 only), 1 when memory.usage_in_bytes does. */
  version?: 1 | 2;
  /** File name → raw content. */
  files: Record<string, string>;
}

/**
 * Reads one memory cgroup directory. Files that exist but cannot be read are warnings;
 * no memory file at all is a failure (wrong directory, or the memory controller is not
 * enabled there).
 */
export async function acquireCgroup(
  dir: string,
  ctx: AcquireContext = {},
): Promise<AcquireResult<CgroupFiles>> {
  const names = [...new Set<string>([...CGROUP_V2_FILES, ...CGROUP_V1_FILES])];
  const maxBytes = ctx.maxBytes ?? DEFAULT_MAX_BYTES;
  const reads = await Promise.all(
    names.map(async (name) => [name, await readFileCapped(join(dir, name), maxBytes)] as const),
  );
  const files: Record<string, string> = {};
  const warnings: AcquireResult<CgroupFiles>['warnings'] = [];
  for (const [name, res] of reads) {
    if (res.ok) files[name] = res.data.toString('utf8');
    // EOPNOTSUPP: memory.pressure exists but PSI is disabled (psi=0 on the kernel command line).
    else if (res.code !== 'ENOENT' && res.code !== 'EOPNOTSUPP') {
      warnings.push({ source: 'cgroup', message: `${name}: ${res.message}` });
    }
  }
  const version = 'memory.current' in files ? 2 : 'memory.usage_in_bytes' in files ? 1 : undefined;
  if (Object.keys(files).length === 0 || version === undefined) {
    warnings.push({
      source: 'cgroup',
      message: `${dir}: no memory cgroup files (neither memory.current nor memory.usage_in_bytes)`,
    });
    return { status: 'failed', warnings, notes: [] };
  }
  return { status: warnings.length ? 'partial' : 'ok', value: { version, files }, warnings, notes: [] };
}

/**
 * v1 reports "unlimited" as PAGE_COUNTER_MAX in bytes (9223372036854771712 with 4 KiB pages),
 * so anything ≥ 2^62 means no limit; v2 writes `max`. Returns undefined when unlimited or unknown.
 */
export function cgroupLimitBytes(files: Record<string, string>): number | undefined {
  const raw = (files['memory.max'] ?? files['memory.limit_in_bytes'])?.trim();
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 2 ** 62 ? undefined : n;
}
