import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleError } from '../../errors.js';

/**
 * The memory files parseCgroupFiles understands, v1 (cgroup-v1/memory.rst) and v2
 * (cgroup-v2.rst). Nothing else is read: a live cgroup dir also holds write-only files
 * (memory.force_empty, memory.reclaim) and eventfd-only ones (memory.pressure_level).
 */
export const CGROUP_MEMORY_FILES = [
  'memory.stat',
  'memory.pressure',
  // v1
  'memory.usage_in_bytes',
  'memory.limit_in_bytes',
  'memory.max_usage_in_bytes',
  'memory.failcnt',
  'memory.oom_control',
  // v2
  'memory.current',
  'memory.max',
  'memory.high',
  'memory.low',
  'memory.min',
  'memory.peak',
  'memory.events',
  'memory.swap.current',
] as const;

/** Cap per file: real ones are a few KiB; a bundle is untrusted input. */
const MAX_FILE_BYTES = 1 << 20;

/**
 * Errors that mean "this file is not available here" rather than "something is wrong":
 * absent files, and memory.pressure returning EOPNOTSUPP when PSI is disabled (psi=0 or
 * cgroup.pressure set to 0).
 */
const UNAVAILABLE = new Set(['ENOENT', 'EOPNOTSUPP', 'ENOTSUP', 'ENODEV', 'EINVAL']);

export interface ReadCgroupDirOptions {
  /**
   * Where to read memory.pressure from when it is not in `dir`: on hybrid hosts the v1 memory
   * controller has no PSI, but the process's v2 group does (locateMemoryCgroup's pressureDir).
   */
  pressureDir?: string;
}

/**
 * Read the known memory files that exist in `dir` (a bundle's `cgroup/<ts>/` or a live cgroup
 * directory) into a name → text map for parseCgroupFiles. Throws BundleError only when a file
 * that exists cannot be read (permissions, I/O) or `dir` itself is missing; an empty folder
 * gives an empty map.
 */
export async function readCgroupDir(
  dir: string,
  options: ReadCgroupDirOptions = {},
): Promise<Record<string, string>> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new BundleError(dir, 'cgroup directory not found or not a directory');
  const out: Record<string, string> = {};
  for (const name of CGROUP_MEMORY_FILES) {
    const text = await readCapped(join(dir, name));
    if (text.kind === 'text') out[name] = text.text;
  }
  if (out['memory.pressure'] === undefined && options.pressureDir !== undefined) {
    const text = await readCapped(join(options.pressureDir, 'memory.pressure'));
    if (text.kind === 'text') out['memory.pressure'] = text.text;
  }
  return out;
}

type Read = { kind: 'text'; text: string } | { kind: 'absent' };

async function readCapped(path: string): Promise<Read> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (UNAVAILABLE.has(code)) return { kind: 'absent' };
    throw new BundleError(path, `cannot open (${code})`, { cause: err });
  }
  try {
    // Pseudo-files report size 0, so read until EOF instead of trusting stat().
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < MAX_FILE_BYTES) {
      const buf = Buffer.alloc(Math.min(65536, MAX_FILE_BYTES - total));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
    }
    return { kind: 'text', text: Buffer.concat(chunks).toString('utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (UNAVAILABLE.has(code)) return { kind: 'absent' };
    throw new BundleError(path, `cannot read (${code})`, { cause: err });
  } finally {
    await fh.close();
  }
}
