import { readFileCapped } from '../fs/read-capped.js';
import { DEFAULT_MAX_BYTES } from '../types.js';
import { join } from 'node:path';
import { parseCgroupFiles } from '../../parse/cgroup/parse-cgroup.js';
import { CGROUP_MEMORY_FILES } from '../../parse/cgroup/read-cgroup-dir.js';
import type { AcquireContext, AcquireResult } from '../types.js';

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
  // The memory files of both versions (the parser's list); which exist depends on the version and
  // the kernel (memory.peak is 5.19+, memory.pressure needs PSI), and an absent one is skipped.
  const names = CGROUP_MEMORY_FILES;
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
 * The hard limit (v1 memory.limit_in_bytes, v2 memory.max) as the cgroup parser reads it;
 * undefined when unlimited (v2 `max`, v1's near-2^63 PAGE_COUNTER_MAX) or unreadable.
 */
export function cgroupLimitBytes(files: Record<string, string>): number | undefined {
  return parseCgroupFiles(files).value.limitBytes ?? undefined;
}
