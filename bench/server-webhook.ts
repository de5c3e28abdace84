/**
 * Webhook benchmark (issues 5 §6 and 11).
 *
 *   npx tsx bench/server-webhook.ts [alerts=2000] [connections=16]
 *
 * Whole process, as users run it (issue 11), in one run:
 * 1. the baseline: a bare node:http server in its own `node` process that reads and parses each
 *    JSON body and answers 202;
 * 2. `node bin/memtriage.js serve` (dist/; `npm run build` first) with its data dir on this
 *    machine's disk (under os.tmpdir()) and a file channel: Alertmanager webhooks (one alert each,
 *    each a new incident) over `connections` keep-alive loops. Accepted/s and the accept latency
 *    (POST → 202, the incident durably recorded) against the baseline; delivered/s from the first
 *    POST until the file channel holds every runbook.
 * Targets (issue 11): accepted ≥ 30 % of the baseline, p99 accept ≤ 25 ms, delivered ≥ 1,000/s.
 *
 * Beside it, in process (issue 5 §6): the server, pipeline and outbox in this process, generic
 * webhooks with facts attached, latency from POST to the runbook handed to a sink channel; and the
 * same with rendering skipped. The data directory is under os.tmpdir(): run with TMPDIR=/dev/shm
 * to take the disk out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../engine/config/default-config.js';
import { loadCompiledRules } from '../engine/diagnose/load-rules.js';
import { createOutboxWorker } from '../engine/notify/outbox-worker.js';
import { buildServer } from '../engine/server/build-server.js';
import { createMetrics } from '../engine/server/metrics.js';
import { createPipeline } from '../engine/server/pipeline/run-pipeline.js';
import { openSqliteStore } from '../engine/store/sqlite-store.js';
import { createStdoutChannel } from '../integrations/stdout/index.js';
import type { Diagnosis } from '../engine/diagnose/types.js';
import { renderRunbook } from '../engine/runbook/render-runbook.js';
import { amBody, lineCount, pct } from './webhook-load.js';
import { terminate } from '../test/helpers/serve-process.js';
import type { Runbook } from '../engine/runbook/types.js';

const TOTAL = Number(process.argv[2] ?? 2000);
const CONNECTIONS = Number(process.argv[3] ?? 16);
const WARMUP = 200;
const FACTS = {
  'runtime.kind': 'go',
  'gctrace.liveHeapSlopeBytesPerSecond': 1.8 * 1024 * 1024,
  'gctrace.liveHeapTrendR2': 0.82,
  'gctrace.windowSeconds': 120,
  'memstats.heapObjectsSlopePerSecond': 21_700,
  'pprof.inuseShare.map': 0.58,
};
const body = (i: number) =>
  JSON.stringify({
    alert: { name: 'OrdersHeapGrowth', id: `bench-${process.pid}-${i}`, labels: { service: 'orders' } },
    facts: FACTS,
  });

/** Sends TOTAL alerts over CONNECTIONS concurrent keep-alive loops; `done(i)` resolves when alert i is finished. */
async function drive(
  url: string,
  done: (answer: string) => Promise<void>,
  total = TOTAL,
  makeBody: (i: number) => string = body,
) {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < total) {
        const i = next++;
        const start = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: makeBody(i),
        });
        const answer = await res.text();
        if (res.status !== 202) throw new Error(`HTTP ${res.status}`);
        await done(answer);
        lat.push(performance.now() - start);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  return { rate: total / secs, p50: pct(lat, 50), p99: pct(lat, 99) };
}

async function baseline() {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const r = await drive(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, async () => undefined);
  await new Promise((r2) => server.close(r2));
  return r;
}

async function memtriage(cachedRender: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'mt-bench-'));
  const config = defaultConfig();
  config.server.dataDir = dir;
  config.outbox.pollMs = 5;
  config.outbox.concurrency = 16;
  config.pipeline.concurrency = 8;
  const rules = await loadCompiledRules();
  const store = openSqliteStore(dir);
  const metrics = createMetrics();
  const waiters = new Map<string, () => void>();
  const rendered = new Set<string>();
  const stdout = createStdoutChannel({ name: 'stdout' }, { write: () => undefined });
  const channel = {
    ...stdout,
    async send(msg: Parameters<typeof stdout.send>[0], signal: AbortSignal) {
      const r = await stdout.send(msg, signal);
      rendered.add(msg.incidentId);
      waiters.get(msg.incidentId)?.();
      return r;
    },
  };
  const channels = new Map([['stdout', channel]]);
  const worker = createOutboxWorker({ store, channels, config: config.outbox, metrics });
  // Variant: render each template once and reuse the Runbook with the incident id swapped — the
  // pipeline without rendering at all (renderRunbook itself reuses compiled templates, ~0.8 ms a call).
  const cache = new Map<string, Runbook>();
  const render = (d: Diagnosis): Runbook => {
    const key = d.causes[0]?.runbook ?? d.outcome;
    let rb = cache.get(key);
    if (!rb) cache.set(key, (rb = renderRunbook(d)));
    return { ...rb, incidentId: d.incident.id };
  };
  const pipeline = createPipeline({
    store,
    config,
    rules: () => rules,
    channels,
    metrics,
    onQueued: () => worker.kick(),
    ...(cachedRender ? { renderRunbook: render } : {}),
  });
  const app = buildServer({
    config,
    store,
    metrics,
    logger: false,
    onAccepted: (i) => {
      pipeline.advance(i.id).catch((err: unknown) => console.error('pipeline failed', err));
    },
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  worker.start();
  const untilDelivered = async (answer: string) => {
    // done when this alert's runbook has been rendered and handed to the channel
    const id = (JSON.parse(answer) as { incident: string }).incident;
    if (rendered.has(id)) return;
    await new Promise<void>((res) => waiters.set(id, res));
  };
  await drive(`${url}/webhook/generic`, untilDelivered, WARMUP); // JIT, SQLite page cache, template compile
  const r = await drive(`${url}/webhook/generic`, untilDelivered);
  await app.close();
  await pipeline.stop();
  await worker.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return r;
}

const ROOT = join(import.meta.dirname, '..');

/** Starts a child and resolves with the URL it prints (matched by `re` on stdout or stderr). */
function startChild(args: string[], re: RegExp): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const seen = (d: Buffer) => {
      out += d.toString();
      const m = re.exec(out);
      if (m) resolve({ child, url: m[1]! });
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => reject(new Error(`child exited ${code}: ${out.slice(0, 1000)}`)));
  });
}

const stopChild = (child: ChildProcess) => terminate(child, 20_000);

/** The bare node:http echo in its own process, as the baseline of the whole-process figures. */
async function baselineProcess() {
  const script = `
    const http = require('node:http');
    const server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    server.listen(0, '127.0.0.1', () => console.log('LISTENING http://127.0.0.1:' + server.address().port));
    process.on('SIGTERM', () => process.exit(0));`;
  const { child, url } = await startChild(['-e', script], /LISTENING (\S+)/);
  try {
    await drive(`${url}/`, async () => undefined, WARMUP, amBody);
    return await drive(`${url}/`, async () => undefined, TOTAL, amBody);
  } finally {
    await stopChild(child);
  }
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; NaN elsewhere). */
const cpuMs = (pid: number | undefined): number => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
};

/** `node bin/memtriage.js serve` with a file channel and its data dir on disk. */
async function serveProcess() {
  const dir = mkdtempSync(join(tmpdir(), 'mt-bench-serve-'));
  const out = join(dir, 'runbooks.jsonl');
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      'server: { host: 127.0.0.1 }',
      `channels: { archive: { type: file, path: ${JSON.stringify(out)} } }`,
      'defaultRoute: { channels: [archive] }',
    ].join('\n'),
  );
  const { child, url } = await startChild(
    [
      // e.g. MEMTRIAGE_BENCH_SERVE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the server
      ...(process.env.MEMTRIAGE_BENCH_SERVE_FLAGS?.split(' ').filter(Boolean) ?? []),
      'bin/memtriage.js',
      'serve',
      '--config',
      join(dir, 'config.yaml'),
      '--port',
      '0',
      '--data-dir',
      join(dir, 'data'),
    ],
    /serving on (\S+)/,
  );
  const delivered = async (want: number, t0: number) => {
    while (lineCount(out) < want) {
      if (performance.now() - t0 > 300_000)
        throw new Error(`only ${lineCount(out)} of ${want} runbooks delivered`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return performance.now();
  };
  try {
    const hook = `${url}/webhook/alertmanager`;
    let t0 = performance.now();
    await drive(hook, async () => undefined, WARMUP, amBody);
    await delivered(WARMUP, t0);
    t0 = performance.now();
    const cpu0 = cpuMs(child.pid);
    const accepted = await drive(hook, async () => undefined, TOTAL, amBody);
    const t1 = await delivered(WARMUP + TOTAL, t0);
    return {
      ...accepted,
      delivered: (TOTAL / (t1 - t0)) * 1000,
      cpuPerAlert: (cpuMs(child.pid) - cpu0) / TOTAL,
    };
  } finally {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!existsSync(join(ROOT, 'dist/engine/cli/main.js'))) {
  console.error('dist/ is not built: npm run build');
  process.exit(1);
}
const f = (x: number) => x.toFixed(1);
// MEMTRIAGE_BENCH_ONLY=cached runs only the in-process cached-template variant (for profiling);
// MEMTRIAGE_BENCH_ONLY=process only the whole-process figures.
const only = process.env.MEMTRIAGE_BENCH_ONLY;
if (only !== 'cached') {
  const baseP = await baselineProcess();
  const serveP = await serveProcess();
  console.log(
    `cores ${cpus().length}, load ${loadavg()[0]!.toFixed(1)}, ${TOTAL} alerts, ${CONNECTIONS} connections`,
  );
  console.log(
    'whole process (node bin/memtriage.js serve, data dir on disk, file channel; Alertmanager webhooks):',
  );
  console.log(
    `  baseline node:http echo   ${f(baseP.rate)} req/s   p50 ${f(baseP.p50)} ms   p99 ${f(baseP.p99)} ms`,
  );
  console.log(
    `  memtriage serve accepted  ${f(serveP.rate)} alerts/s   p50 ${f(serveP.p50)} ms   p99 ${f(serveP.p99)} ms` +
      `   = ${f((100 * serveP.rate) / baseP.rate)} % of the baseline (target ≥ 30 %; p99 ≤ 25 ms)`,
  );
  console.log(`  delivered (file channel)  ${f(serveP.delivered)} runbooks/s (target ≥ 1,000/s)`);
  console.log(
    `  server CPU per alert      ${serveP.cpuPerAlert.toFixed(2)} ms (user + system, accept to delivery; less load-sensitive than the rates)`,
  );
  if (only === 'process') process.exit(0);
}

const base = only ? { rate: NaN, p50: NaN, p99: NaN } : await baseline();
const mt = only ? base : await memtriage(false);
const cached = await memtriage(true);
console.log(
  `in process (server, pipeline and outbox in the bench process; POST → runbook handed to a sink channel):`,
);
console.log(`baseline node:http      ${f(base.rate)} req/s   p50 ${f(base.p50)} ms   p99 ${f(base.p99)} ms`);
console.log(`memtriage webhook→runbook ${f(mt.rate)} alerts/s   p50 ${f(mt.p50)} ms   p99 ${f(mt.p99)} ms`);
console.log(`throughput vs baseline ${f((100 * mt.rate) / base.rate)} %`);
console.log(
  `memtriage, rendering skipped ${f(cached.rate)} alerts/s   p50 ${f(cached.p50)} ms   p99 ${f(cached.p99)} ms`,
);
console.log(`throughput vs baseline ${f((100 * cached.rate) / base.rate)} %`);
