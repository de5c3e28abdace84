import { spawn, type ChildProcess } from 'node:child_process';

/**
 * `memtriage serve` in a child process (test/server/serve-child.ts), for tests that kill it for real.
 * Resolves with its URL once it listens; rejects with the start of its stderr if it exits first.
 * The caller keeps `child` to kill it (and should kill every child it started in afterAll).
 */
export function serveProcess(config: string, port = 0): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/server/serve-child.ts', config, String(port)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${err.slice(0, 500)}`)));
  });
}

/**
 * SIGTERM, and SIGKILL if the child is still running after `graceMs`. Resolves once it has exited:
 * true when it needed the SIGKILL (it ignored SIGTERM), false otherwise.
 */
export async function terminate(c: ChildProcess, graceMs = 10_000): Promise<boolean> {
  if (c.exitCode !== null || c.signalCode !== null) return false;
  let killed = false;
  const hard = setTimeout(() => {
    killed = true;
    c.kill('SIGKILL');
  }, graceMs);
  const done = exited(c);
  c.kill('SIGTERM');
  await done;
  clearTimeout(hard);
  return killed;
}

/** Resolves once the child has exited (at once if it already has). */
export const exited = (c: ChildProcess): Promise<unknown> =>
  c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r));
