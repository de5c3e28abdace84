import { readFileCapped } from '../fs/read-capped.js';
import { DEFAULT_MAX_BYTES } from '../types.js';
import { join } from 'node:path';
import type { AcquireContext, AcquireResult, CollectWarning, ProcFiles } from '../types.js';

export interface ProcTarget {
  /** The process to read status/smaps_rollup of; without it only the system-wide files are read. */
  pid?: number;
  /** Where procfs is mounted; tests point it at a fake tree. Default `/proc`. */
  procRoot?: string;
  /**
   * Read the host-wide files (vmstat, pressure/memory). Default true. They describe the host
   * memtriage runs on, so they are the service's evidence only when it runs on the service's host.
   */
  hostFiles?: boolean;
}

/**
 * Reads `/proc/vmstat` (system-wide reclaim counters, mm/vmstat.c), `/proc/pressure/memory`
 * (PSI, 4.20+ with CONFIG_PSI; kernel Documentation/accounting/psi.rst), and for a pid
 * `/proc/<pid>/status` (VmRSS, VmHWM, proc(5)) and `/proc/<pid>/smaps_rollup` (4.14+).
 * PSI missing or disabled, and smaps_rollup on old kernels, are notes: the host simply has
 * no such file. A pid that has exited is a warning (the process may have just been OOM-killed).
 */
export async function acquireProc(
  target: ProcTarget,
  ctx: AcquireContext = {},
): Promise<AcquireResult<ProcFiles>> {
  const root = target.procRoot ?? '/proc';
  const maxBytes = ctx.maxBytes ?? DEFAULT_MAX_BYTES;
  const wanted: [keyof ProcFiles, string, 'required' | 'optional'][] =
    target.hostFiles === false
      ? []
      : [
          ['vmstat', join(root, 'vmstat'), 'required'],
          ['pressure-memory', join(root, 'pressure', 'memory'), 'optional'],
        ];
  if (target.pid !== undefined) {
    wanted.push(['status', join(root, String(target.pid), 'status'), 'required']);
    wanted.push(['smaps_rollup', join(root, String(target.pid), 'smaps_rollup'), 'optional']);
  }
  const reads = await Promise.all(
    wanted.map(async ([name, path, need]) => ({
      name,
      path,
      need,
      res: await readFileCapped(path, maxBytes),
    })),
  );
  const files: ProcFiles = {};
  const warnings: CollectWarning[] = [];
  const notes: string[] = [];
  for (const { name, path, need, res } of reads) {
    if (res.ok) {
      files[name] = res.data.toString('utf8');
    } else if (need === 'optional' && (res.code === 'ENOENT' || res.code === 'EOPNOTSUPP')) {
      notes.push(`proc: ${path} not available (${res.code})`);
    } else if (name === 'status' && res.code === 'ENOENT') {
      warnings.push({ source: 'proc', message: `${path}: process ${target.pid} is gone` });
    } else {
      warnings.push({ source: 'proc', message: `${path}: ${res.message}` });
    }
  }
  const count = Object.keys(files).length;
  if (count === 0) return { status: 'failed', warnings, notes };
  return { status: warnings.length ? 'partial' : 'ok', value: files, warnings, notes };
}
