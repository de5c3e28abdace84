import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { parseTargetUrl } from './target-url.js';

/** Below this, sampling a Go service's expvar (a stop-the-world ReadMemStats) becomes the load. */
export const MIN_INTERVAL_MS = 100;

export interface ValidatedOptions {
  target?: URL;
  cgroupDir?: string;
  pid?: number;
}

/** Checks everything the user typed before anything is written. Bad input → InputError (exit 2). */
export async function validateCollectOptions(o: {
  target?: string;
  cgroupDir?: string;
  pid?: number;
  durationMs: number;
  intervalMs: number;
  profileEveryMs?: number;
  procRoot?: string;
}): Promise<ValidatedOptions> {
  const invalid = (message: string) => new InputError('MT_ERR_COLLECT_OPTIONS_INVALID', message);
  if (!Number.isFinite(o.durationMs) || o.durationMs < 0)
    throw invalid(`--duration must be ≥ 0, got ${o.durationMs} ms`);
  if (!Number.isFinite(o.intervalMs) || o.intervalMs < MIN_INTERVAL_MS) {
    throw invalid(`--interval must be at least ${MIN_INTERVAL_MS} ms, got ${o.intervalMs} ms`);
  }
  if (
    o.profileEveryMs !== undefined &&
    (!Number.isFinite(o.profileEveryMs) || o.profileEveryMs < MIN_INTERVAL_MS)
  ) {
    throw invalid(
      `the heap profile period must be at least ${MIN_INTERVAL_MS} ms, got ${o.profileEveryMs} ms`,
    );
  }
  const out: ValidatedOptions = {};
  if (o.target !== undefined) out.target = parseTargetUrl(o.target);
  if (o.pid !== undefined) {
    if (!Number.isSafeInteger(o.pid) || o.pid <= 0)
      throw invalid(`--pid must be a positive integer, got ${o.pid}`);
    if (!(await isDir(join(o.procRoot ?? '/proc', String(o.pid))))) {
      throw new InputError('MT_ERR_COLLECT_PID_NOT_FOUND', `--pid ${o.pid}: no such process`);
    }
    out.pid = o.pid;
  }
  if (o.cgroupDir !== undefined) {
    if (!(await isDir(o.cgroupDir))) {
      throw new InputError('MT_ERR_COLLECT_CGROUP_INVALID', `--cgroup ${o.cgroupDir}: not a directory`);
    }
    out.cgroupDir = o.cgroupDir;
  }
  return out;
}

/**
 * The bundle directory must be new or empty: mixing a new run into an old bundle would splice
 * two incidents into one series. Creates it when missing.
 */
export async function prepareOutDir(outDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(outDir);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') {
      await mkdir(outDir, { recursive: true });
      return;
    }
    if (code === 'ENOTDIR')
      throw new InputError('MT_ERR_COLLECT_OUTDIR_INVALID', `--out ${outDir}: not a directory`);
    throw new InputError('MT_ERR_COLLECT_OUTDIR_INVALID', `--out ${outDir}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (entries.length > 0) {
    throw new InputError(
      'MT_ERR_COLLECT_OUTDIR_NOT_EMPTY',
      `--out ${outDir}: directory is not empty (${entries.length} entries); collect writes a new bundle, choose a new or empty directory`,
    );
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
