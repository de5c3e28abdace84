import { join } from 'node:path';
import { readFileCapped } from '../fs/read-capped.js';

/**
 * The variables that tune a runtime's memory, and nothing else: an environment also holds tokens and
 * passwords, which must never reach a bundle. Go reads GOGC, GOMEMLIMIT (1.19+), GODEBUG and
 * GOMAXPROCS at start (runtime/extern.go); glibc reads MALLOC_ARENA_MAX (mallopt(3)).
 */
export const RUNTIME_ENV_KEYS = ['GOGC', 'GOMEMLIMIT', 'GODEBUG', 'GOMAXPROCS', 'MALLOC_ARENA_MAX'] as const;

/** An environment is small; anything bigger than this is not read. */
const MAX_ENVIRON_BYTES = 1024 * 1024;

/**
 * The runtime variables of a process from `/proc/<pid>/environ` (proc(5): the environment as of
 * execve, NUL-separated). An empty record means "read, none set" — which tells the Go runtime's
 * defaults apart from "unknown" (undefined: the file could not be read, e.g. another user's process).
 */
export async function readRuntimeEnv(
  pid: number,
  procRoot = '/proc',
): Promise<{ env?: Record<string, string>; note?: string }> {
  const path = join(procRoot, String(pid), 'environ');
  const res = await readFileCapped(path, MAX_ENVIRON_BYTES);
  if (!res.ok) return { note: `proc: ${path} not readable (${res.code}); GOMEMLIMIT and GOGC unknown` };
  const env: Record<string, string> = {};
  for (const entry of res.data.toString('utf8').split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const key = entry.slice(0, eq);
    if ((RUNTIME_ENV_KEYS as readonly string[]).includes(key)) env[key] = entry.slice(eq + 1);
  }
  return { env };
}
