/**
 * Several replicas (issue 13): webhook throughput and delivery of whole `memtriage serve`
 * processes (`node bin/memtriage.js serve`, dist/ built) on SQLite and on PostgreSQL, same run:
 *
 *   npx tsx bench/replicas.ts [alerts=2000] [connections=16]
 *
 * 1. SQLite, one replica (the embedded default; data dir on this machine's disk);
 * 2. PostgreSQL, one replica;
 * 3. PostgreSQL, three replicas, the connections spread over them round-robin (a Service).
 * PostgreSQL is a throwaway Debian postgresql-15 cluster on this machine (test/helpers/pg-cluster.ts,
 * default settings but `fsync=off`: the figures leave out the database's disk and keep the round
 * trips, locks and the work of the query planner). Each alert is a new incident (its own group);
 * the file channel of every replica is counted for "delivered". Accepted/s and p50/p99 (POST → 202,
 * the incident committed) and delivered/s (first POST → every runbook in the files). All replicas
 * share this machine's cores with the database and the load generator: more replicas only help
 * here as far as the cores allow.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgUnavailableReason, startPgCluster } from '../test/helpers/pg-cluster.js';
import { terminate } from '../test/helpers/serve-process.js';
import { amBody, lineCount, pct } from './webhook-load.js';

const TOTAL = Number(process.argv[2] ?? 2000);
const CONNECTIONS = Number(process.argv[3] ?? 16);
const WARMUP = 200;
const ROOT = join(import.meta.dirname, '..');

/** `total` POSTs over CONNECTIONS keep-alive loops, loop k sending to urls[k % urls.length]. */
async function drive(urls: readonly string[], total: number) {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, k) => {
      const url = urls[k % urls.length]!;
      while (next < total) {
        next++;
        const start = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: amBody(),
        });
        await res.text();
        if (res.status !== 202) throw new Error(`HTTP ${res.status}`);
        lat.push(performance.now() - start);
      }
    }),
  );
  return { rate: total / ((performance.now() - t0) / 1000), p50: pct(lat, 50), p99: pct(lat, 99) };
}

function startServe(config: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['bin/memtriage.js', 'serve', '--config', config, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving on (\S+)/.exec(err);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err.slice(-800)}`)));
  });
}

const stop = (c: ChildProcess) => terminate(c, 20_000);

/** `replicas` serve processes on one store (`storeUrl`, else each its own SQLite); the figures. */
async function run(replicas: number, storeUrl?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mt-bench-replicas-'));
  const outs: string[] = [];
  const children: ChildProcess[] = [];
  try {
    const urls: string[] = [];
    for (let i = 0; i < replicas; i++) {
      const out = join(dir, `runbooks-${i}.jsonl`);
      outs.push(out);
      const config = join(dir, `config-${i}.yaml`);
      writeFileSync(
        config,
        [
          `server: { host: 127.0.0.1, dataDir: ${JSON.stringify(join(dir, `data-${i}`))} }`,
          ...(storeUrl ? ['store: { url: "${MEMTRIAGE_STORE_URL}" }'] : []),
          `channels: { archive: { type: file, path: ${JSON.stringify(out)} } }`,
          'defaultRoute: { channels: [archive] }',
        ].join('\n'),
      );
      const s = await startServe(config, storeUrl ? { MEMTRIAGE_STORE_URL: storeUrl } : {});
      children.push(s.child);
      urls.push(`${s.url}/webhook/alertmanager`);
    }
    const delivered = async (want: number, t0: number) => {
      for (;;) {
        const n = outs.reduce((sum, o) => sum + lineCount(o), 0);
        if (n >= want) return performance.now();
        if (performance.now() - t0 > 300_000) throw new Error(`only ${n} of ${want} runbooks delivered`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    let t0 = performance.now();
    await drive(urls, WARMUP);
    await delivered(WARMUP, t0);
    t0 = performance.now();
    const accepted = await drive(urls, TOTAL);
    const t1 = await delivered(WARMUP + TOTAL, t0);
    const total = outs.reduce((sum, o) => sum + lineCount(o), 0);
    return { ...accepted, delivered: (TOTAL / (t1 - t0)) * 1000, duplicates: total - WARMUP - TOTAL };
  } finally {
    await Promise.all(children.map(stop));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!existsSync(join(ROOT, 'dist/engine/cli/main.js'))) {
  console.error('dist/ is not built: npm run build');
  process.exit(1);
}
const why = pgUnavailableReason();
if (why) {
  console.error(`PostgreSQL is not available: ${why}`);
  process.exit(1);
}
const cluster = await startPgCluster();
try {
  const f = (x: number) => x.toFixed(1);
  const rows: [string, Awaited<ReturnType<typeof run>>][] = [];
  rows.push(['SQLite, 1 replica', await run(1)]);
  rows.push(['PostgreSQL, 1 replica', await run(1, await cluster.createDatabase('bench_one'))]);
  rows.push(['PostgreSQL, 3 replicas', await run(3, await cluster.createDatabase('bench_three'))]);
  console.log(
    `cores ${cpus().length}, load ${loadavg()[0]!.toFixed(1)}, ${TOTAL} alerts (each a new incident), ${CONNECTIONS} connections, file channel`,
  );
  const sqlite = rows[0]![1];
  for (const [name, r] of rows) {
    console.log(
      `  ${name.padEnd(24)} accepted ${f(r.rate).padStart(7)} alerts/s (${f((100 * r.rate) / sqlite.rate)} % of SQLite)` +
        `   p50 ${f(r.p50)} ms   p99 ${f(r.p99)} ms   delivered ${f(r.delivered).padStart(6)} runbooks/s` +
        ` (${f((100 * r.delivered) / sqlite.delivered)} %)   duplicates ${r.duplicates}`,
    );
  }
} finally {
  await cluster.destroy();
}
