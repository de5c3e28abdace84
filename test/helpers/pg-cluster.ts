import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

/**
 * A throwaway PostgreSQL 15 cluster for tests: Debian's binaries, a fresh data directory under the
 * temp dir, listening on 127.0.0.1 at a free port with trust auth, `fsync=off`. As root (CI) the
 * cluster runs as the `postgres` system user (PostgreSQL refuses to run as root); as a normal user
 * it runs as that user. Every cluster still running when the test process exits is stopped
 * (`pg_ctl stop -m immediate`) and its directory removed, so a failing test leaves no postgres behind;
 * a watchdog shell does the same if the process is killed outright.
 */
export const PG_BIN = process.env.MEMTRIAGE_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  /** URL of the `postgres` database (superuser `postgres`, no password). */
  url: string;
  port: number;
  /** `pg_ctl stop -m fast`; the data directory is kept. */
  stop(): Promise<void>;
  /** Starts the stopped cluster again on the same port. */
  start(): Promise<void>;
  /** Stops the cluster and removes its directory. */
  destroy(): Promise<void>;
  /** A fresh, empty database; answers its URL. */
  createDatabase(name: string): Promise<string>;
  /** Drops a database, disconnecting its sessions. */
  dropDatabase(name: string): Promise<void>;
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function pgUnavailableReason(): string | undefined {
  for (const b of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(PG_BIN, b))) return `${join(PG_BIN, b)} is missing (apt-get install postgresql-15)`;
  }
  if (isRoot() && runAsId() === undefined) return 'running as root and there is no `postgres` system user';
  return undefined;
}

/**
 * Whether the PostgreSQL suites must be skipped. Under CI a missing PostgreSQL is an error (a
 * skip there would go unnoticed); locally the suite is skipped with the reason printed.
 */
export function skipPgSuites(): boolean {
  const reason = pgUnavailableReason();
  if (reason === undefined) return false;
  if (process.env.CI) throw new Error(`PostgreSQL tests cannot run under CI: ${reason}`);
  console.warn(`SKIPPING PostgreSQL store tests: ${reason}`);
  return true;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** uid/gid of the `postgres` user (only looked up as root). */
function runAsId(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

function run(cmd: string, args: string[], opts: SpawnOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out}`)),
    );
  });
}

const running = new Map<string, () => void>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const kill of running.values()) kill();
  });
}

export async function startPgCluster(): Promise<PgCluster> {
  const reason = pgUnavailableReason();
  if (reason !== undefined) throw new Error(`cannot start PostgreSQL: ${reason}`);
  const ids = runAsId();
  const dir = mkdtempSync(join(tmpdir(), 'mt-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  if (ids) chownSync(dir, ids.uid, ids.gid);
  const spawnOpts: SpawnOptions = {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C', ...(ids ? { HOME: dir } : {}) },
    ...(ids ? { uid: ids.uid, gid: ids.gid } : {}),
  };
  const bin = (b: string) => join(PG_BIN, b);
  await run(
    bin('initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
    spawnOpts,
  );
  const port = await freePort();
  const pgOpts = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c synchronous_commit=off',
    '-c max_connections=200',
  ].join(' ');
  const ctl = (args: string[]) => run(bin('pg_ctl'), ['-D', data, ...args], spawnOpts);
  let up = false;
  const killSync = () => {
    if (up)
      spawnSync(bin('pg_ctl'), ['-D', data, 'stop', '-m', 'immediate'], { ...spawnOpts, stdio: 'ignore' });
    up = false;
    rmSync(dir, { recursive: true, force: true });
  };
  installExitHook();
  running.set(dir, killSync);
  // Should this process die without running its exit hook (SIGKILL, a killed test worker), a
  // watchdog stops the cluster and removes its directory once the process is gone.
  const watchdog = spawn(
    'sh',
    [
      '-c',
      'while [ -d "/proc/$0" ]; do sleep 1; done; "$1" -D "$2" stop -m immediate >/dev/null 2>&1; rm -rf "$3"',
      String(process.pid),
      bin('pg_ctl'),
      data,
      dir,
    ],
    { ...spawnOpts, cwd: '/', detached: true, stdio: 'ignore' },
  );
  watchdog.unref();
  const start = async () => {
    try {
      await ctl(['-l', log, '-o', pgOpts, '-w', '-t', '30', 'start']);
    } catch (err) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`${(err as Error).message}\n${tail}`);
    }
    up = true;
  };
  const stop = async () => {
    if (!up) return;
    await ctl(['-w', '-m', 'fast', 'stop']);
    up = false;
  };
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  return {
    url,
    port,
    start,
    stop,
    async destroy() {
      try {
        await stop();
      } finally {
        killSync();
        running.delete(dir);
        if (watchdog.pid !== undefined && watchdog.exitCode === null) {
          try {
            process.kill(watchdog.pid);
          } catch {
            // already gone
          }
        }
      }
    },
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      await admin(`CREATE DATABASE ${name}`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async dropDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
