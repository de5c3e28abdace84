/**
 * Webhook benchmark (issue 5 §6): alerts per second and p50/p99 latency from POST to rendered
 * runbook (facts attached, stdout-style channel writing to a sink), against a bare node:http
 * server that parses the same requests and answers 202, measured in the same run.
 *
 *   npx tsx bench/server-webhook.ts [alerts=2000] [connections=16]
 *
 * The data directory is under os.tmpdir(): run with TMPDIR=/dev/shm to take the disk out (on this
 * VM's disk, creating each incident's bundle directory and files costs about a millisecond).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
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

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** Sends TOTAL alerts over CONNECTIONS concurrent keep-alive loops; `done(i)` resolves when alert i is finished. */
async function drive(url: string, done: (answer: string) => Promise<void>, total = TOTAL) {
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
          body: body(i),
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
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return r;
}

// MEMTRIAGE_BENCH_ONLY=cached runs only the cached-template variant (for profiling).
const only = process.env.MEMTRIAGE_BENCH_ONLY;
const base = only ? { rate: NaN, p50: NaN, p99: NaN } : await baseline();
const mt = only ? base : await memtriage(false);
const cached = await memtriage(true);
const f = (x: number) => x.toFixed(1);
console.log(`cores ${cpus().length}, ${TOTAL} alerts, ${CONNECTIONS} connections`);
console.log(`baseline node:http      ${f(base.rate)} req/s   p50 ${f(base.p50)} ms   p99 ${f(base.p99)} ms`);
console.log(`memtriage webhook→runbook ${f(mt.rate)} alerts/s   p50 ${f(mt.p50)} ms   p99 ${f(mt.p99)} ms`);
console.log(`throughput vs baseline ${f((100 * mt.rate) / base.rate)} %`);
console.log(
  `memtriage, rendering skipped ${f(cached.rate)} alerts/s   p50 ${f(cached.p50)} ms   p99 ${f(cached.p99)} ms`,
);
console.log(`throughput vs baseline ${f((100 * cached.rate) / base.rate)} %`);
