import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectBundle } from '../../engine/collect/collect-bundle.js';
import { cgroupLimitBytes } from '../../engine/collect/cgroup/acquire-cgroup.js';
import { loadCaptured, startReplayServer } from './helpers/replay-server.js';
import { findLocalCgroupDir } from './helpers/local-system.js';
import type { ReplayServer } from './helpers/replay-server.js';
import type { CollectedMeta } from '../../engine/collect/types.js';

const cap = loadCaptured();
const local = findLocalCgroupDir();
let out: string;
let server: ReplayServer | undefined;
beforeEach(async () => {
  out = join(await mkdtemp(join(tmpdir(), 'mt-collect-')), 'bundle');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(join(out, '..'), { recursive: true, force: true });
});

const lines = async (file: string) => (await readFile(join(out, file), 'utf8')).split('\n').filter(Boolean);
const meta = async () => JSON.parse(await readFile(join(out, 'meta.json'), 'utf8')) as CollectedMeta;

describe('collectBundle against a replay of pub-map-leak, this machine’s cgroup and /proc', () => {
  it('writes the bundle layout with the served bytes, one sample per interval', async () => {
    server = await startReplayServer(cap);
    const log: string[] = [];
    const s = await collectBundle({
      target: server.url,
      cgroupDir: local?.dir,
      pid: process.pid,
      durationMs: 1000,
      intervalMs: 250,
      outDir: out,
      log: (m) => log.push(m),
    });
    expect(s.samplesPlanned).toBe(5);
    expect(s.samplesTaken).toBe(5);
    expect(s.aborted).toBe(false);
    expect(s.warnings).toEqual([]);

    // memstats.jsonl: one line per served body, each the captured compact vars, ts increasing.
    const ms = (await lines('memstats.jsonl')).map(
      (l) => JSON.parse(l) as { ts: number; vars: { memstats: { HeapObjects: number } } },
    );
    expect(ms).toHaveLength(5);
    expect(server.served.vars).toHaveLength(5);
    const raw = await lines('memstats.jsonl');
    raw.forEach((l, i) => expect(l).toBe(`{"ts":${ms[i]?.ts},"vars":${cap.vars[i]}}`));
    expect(ms[0]?.vars.memstats.HeapObjects).toBe(2807); // fixtures README: HeapObjects rose from 2.8k
    expect(ms.every((m, i) => i === 0 || m.ts > (ms[i - 1]?.ts ?? 0))).toBe(true);
    expect(raw[0]).toContain('"LastGC":0');

    // Heap profile and text at the end, byte-for-byte.
    expect(await readFile(join(out, 'heap.pb.gz'))).toEqual(cap.heapPb);
    expect(await readFile(join(out, 'heap.txt'))).toEqual(cap.heapTxt);
    const pprof = await readdir(join(out, 'pprof'));
    expect(pprof).toHaveLength(1);
    expect(await readFile(join(out, 'pprof', pprof[0] ?? ''))).toEqual(cap.heapPb);

    // /metrics answered 404: a note, asked once, no metrics.jsonl.
    expect(server.requests.filter((r) => r === '/metrics')).toHaveLength(1);
    expect(s.notes).toContain('metrics: GET /metrics answered 404; no Prometheus endpoint');
    await expect(readFile(join(out, 'metrics.jsonl'))).rejects.toThrow(/ENOENT/);

    // proc/<ts>/ per sample from the real /proc, named by the same ts as the memstats line.
    const procTs = (await readdir(join(out, 'proc'))).sort();
    expect(procTs).toEqual(ms.map((m) => String(m.ts)));
    const procFiles = await readdir(join(out, 'proc', procTs[0] ?? ''));
    expect(procFiles).toEqual(expect.arrayContaining(['vmstat', 'status']));
    expect(await readFile(join(out, 'proc', procTs[0] ?? '', 'status'), 'utf8')).toMatch(
      new RegExp(`^Pid:\\s+${process.pid}$`, 'm'),
    );

    // cgroup/<ts>/ per sample from the real cgroup.
    if (local) {
      expect((await readdir(join(out, 'cgroup'))).sort()).toEqual(procTs);
      const files = await readdir(join(out, 'cgroup', procTs[4] ?? ''));
      expect(files).toContain(local.version === 1 ? 'memory.usage_in_bytes' : 'memory.current');
      const limitFile = local.version === 1 ? 'memory.limit_in_bytes' : 'memory.max';
      const limitText = await readFile(join(local.dir, limitFile), 'utf8');
      expect(await readFile(join(out, 'cgroup', procTs[4] ?? '', limitFile), 'utf8')).toBe(limitText);
      expect((await meta()).cgroupLimitBytes).toBe(cgroupLimitBytes({ [limitFile]: limitText }));
      expect((await meta()).cgroupVersion).toBe(local.version);
    }

    const m = await meta();
    // The runtime variables of this process's environment, and only those.
    expect(Object.keys(m.env ?? { unread: 1 })).toEqual(
      Object.keys(m.env!).filter((k) =>
        ['GOGC', 'GOMEMLIMIT', 'GODEBUG', 'GOMAXPROCS', 'MALLOC_ARENA_MAX'].includes(k),
      ),
    );
    expect(m).toMatchObject({
      service: 'dedupd',
      pid: process.pid,
      target: `${server.url}/`,
      startUnixMs: s.startUnixMs,
    });
    expect(m.cmdline?.slice(0, 3)).toEqual(['/usr/local/bin/dedupd', '-requests-per-sec', '20000']);
    expect(m.endUnixMs).toBeGreaterThanOrEqual(m.startUnixMs + 1000);
    expect(m.collector).toEqual({
      tool: 'memtriage collect',
      intervalMs: 250,
      durationMs: 1000,
      samplesPlanned: 5,
      samplesTaken: 5,
      aborted: false,
    });
    expect(s.written).toEqual({
      memstats: 5,
      metrics: 0,
      cgroup: local ? 5 : 0,
      proc: 5,
      heapProfiles: 1,
      heapText: true,
    });

    expect(log[0]).toMatch(
      new RegExp(`^sample 1/5: expvar ok, metrics absent, ${local ? 'cgroup ok, ' : ''}proc ok$`),
    );
    expect(log[1]).toMatch(/^sample 2\/5: expvar ok, (cgroup ok, )?proc ok$/);
    expect(log).toContain('heap profile ok, heap text ok');
  });

  // The cgroup half of the test above runs only where this machine has a memory cgroup; this test
  // stands for it, so a machine without one shows a skip instead of a shorter test that passes.
  it.skipIf(local === undefined)('found a memory cgroup on this machine for the test above', () => {
    expect(local?.dir).toMatch(/^\/sys\/fs\/cgroup/);
  });

  it('takes a heap profile series with profileEveryMs and keeps the last as heap.pb.gz', async () => {
    server = await startReplayServer(cap, { pprofSeries: true });
    const s = await collectBundle({
      target: server.url,
      durationMs: 1000,
      intervalMs: 200,
      profileEveryMs: 400,
      outDir: out,
    });
    const names = (await readdir(join(out, 'pprof'))).sort();
    expect(names.length).toBe(s.written.heapProfiles);
    expect(names.length).toBe(server.served.profiles.length);
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const [i, n] of names.entries())
      expect(await readFile(join(out, 'pprof', n))).toEqual(server.served.profiles[i]);
    expect(await readFile(join(out, 'heap.pb.gz'))).toEqual(server.served.profiles.at(-1));
    expect(server.served.profiles[0]).toEqual(cap.series[0]);
  });

  it('stores /metrics text when served and takes the runtime from go_info', async () => {
    const metrics = await readFile('test/fixtures/collect/metrics-client-golang.txt', 'utf8');
    server = await startReplayServer(cap, { metrics });
    const s = await collectBundle({ target: server.url, durationMs: 400, intervalMs: 200, outDir: out });
    const ml = (await lines('metrics.jsonl')).map((l) => JSON.parse(l) as { ts: number; text: string });
    expect(ml).toHaveLength(3);
    expect(ml.every((x) => x.text === metrics)).toBe(true);
    expect(s.written.metrics).toBe(3);
    expect((await meta()).runtime).toBe('go1.22.3');
    expect(server.requests.filter((r) => r === '/metrics')).toHaveLength(3);
  });

  it('collects cgroup and proc alone, without a target', async () => {
    const s = await collectBundle({
      cgroupDir: 'test/fixtures/collect/cgroup-v2',
      durationMs: 200,
      intervalMs: 100,
      outDir: out,
    });
    expect(s.samplesTaken).toBe(3);
    expect(s.written).toMatchObject({ memstats: 0, cgroup: 3, heapProfiles: 0, heapText: false });
    const m = await meta();
    expect(m).toMatchObject({ cgroupLimitBytes: 268435456, cgroupVersion: 2 });
    expect(m.service).toBeUndefined();
    const ts = (await readdir(join(out, 'cgroup')))[0] ?? '';
    expect(await readFile(join(out, 'cgroup', ts, 'memory.stat'))).toEqual(
      await readFile('test/fixtures/collect/cgroup-v2/memory.stat'),
    );
  });
});
