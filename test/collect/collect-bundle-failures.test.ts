import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectBundle } from '../../engine/collect/collect-bundle.js';
import { CollectFailedError } from '../../engine/collect/collect-errors.js';
import { InputError } from '../../engine/errors.js';
import { GARBAGE_VARS, loadCaptured, startReplayServer } from './helpers/replay-server.js';
import { findLocalCgroupDir } from './helpers/local-system.js';
import type { ReplayServer } from './helpers/replay-server.js';
import type { CollectedMeta } from '../../engine/collect/types.js';

const cap = loadCaptured();
const local = findLocalCgroupDir();
let base: string;
let out: string;
let server: ReplayServer | undefined;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'mt-collect-'));
  out = join(base, 'bundle');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(base, { recursive: true, force: true });
});
const meta = async () => JSON.parse(await readFile(join(out, 'meta.json'), 'utf8')) as CollectedMeta;

describe('collectBundle when things go wrong', () => {
  it('times out a target that never answers, warns once with a count, and still completes', async () => {
    server = await startReplayServer(cap, { hang: true });
    const t0 = Date.now();
    const s = await collectBundle({
      target: server.url,
      cgroupDir: local?.dir,
      pid: process.pid,
      // Long enough for two samples even on a loaded machine (each waits out the 300 ms timeout).
      durationMs: 900,
      intervalMs: 200,
      requestTimeoutMs: 300,
      outDir: out,
    });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(s.samplesTaken).toBeGreaterThanOrEqual(2);
    const expvar = s.warnings.find((w) => w.source === 'expvar');
    expect(expvar?.message).toBe('GET /debug/vars: no answer within 300 ms');
    expect(expvar?.count ?? 1).toBe(s.samplesTaken);
    expect(s.warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining([
        'GET /debug/pprof/heap: no answer within 300 ms',
        'GET /debug/pprof/heap?debug=1: no answer within 300 ms',
      ]),
    );
    expect(s.written).toMatchObject({ memstats: 0, heapProfiles: 0, heapText: false, proc: s.samplesTaken });
    const m = await meta();
    expect(m.warnings).toEqual(s.warnings);
    expect(await readdir(out)).not.toContain('memstats.jsonl');
  });

  it('keeps what was collected when aborted mid-run, takes the final profile, and writes meta.json', async () => {
    server = await startReplayServer(cap);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 650);
    const log: string[] = [];
    const t0 = Date.now();
    const s = await collectBundle({
      target: server.url,
      pid: process.pid,
      durationMs: 30_000,
      intervalMs: 200,
      outDir: out,
      signal: ac.signal,
      log: (m) => log.push(m),
    });
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(s.aborted).toBe(true);
    expect(s.samplesPlanned).toBe(151);
    expect(s.samplesTaken).toBeGreaterThanOrEqual(2);
    expect(s.samplesTaken).toBeLessThanOrEqual(5);
    const ms = (await readFile(join(out, 'memstats.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(ms).toHaveLength(s.written.memstats);
    ms.forEach((l, i) => expect(JSON.parse(l)).toMatchObject({ vars: JSON.parse(cap.vars[i] ?? '') }));
    expect(await readFile(join(out, 'heap.pb.gz'))).toEqual(cap.heapPb);
    const m = await meta();
    expect(m.collector.aborted).toBe(true);
    expect(m.collector.samplesTaken).toBe(s.samplesTaken);
    expect(m.endUnixMs).toBeGreaterThan(m.startUnixMs);
    expect(log).toContain(`stopped after ${s.samplesTaken}/151 samples; finishing the bundle`);
    expect((await readdir(out)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('skips a garbage /debug/vars body with a warning and keeps the good samples', async () => {
    server = await startReplayServer(cap, { garbageVarsAt: [1] });
    const log: string[] = [];
    const s = await collectBundle({
      target: server.url,
      durationMs: 600,
      intervalMs: 200,
      outDir: out,
      log: (m) => log.push(m),
    });
    expect(server.served.vars[1]).toBe(GARBAGE_VARS);
    const ms = (await readFile(join(out, 'memstats.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(ms).toHaveLength(3);
    expect(ms.map((l) => JSON.stringify((JSON.parse(l) as { vars: unknown }).vars))).toEqual(
      [0, 2, 3].map((i) => JSON.stringify(JSON.parse(cap.vars[i] ?? ''))),
    );
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toMatchObject({ source: 'bundle' });
    expect(s.warnings[0]?.message).toMatch(/^memstats: skipped \/debug\/vars body at ts \d+: not valid JSON/);
    expect(log[1]).toMatch(/^sample 2\/4: expvar invalid/);
  });

  it('refuses a non-empty outDir before writing anything', async () => {
    await mkdir(out);
    await writeFile(join(out, 'memstats.jsonl'), '{"ts":1,"vars":{}}\n');
    const err = await collectBundle({ durationMs: 0, intervalMs: 1000, outDir: out }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('MT_ERR_COLLECT_OUTDIR_NOT_EMPTY');
    expect(await readdir(out)).toEqual(['memstats.jsonl']);
    await writeFile(join(base, 'file'), 'x');
    const notDir = await collectBundle({ durationMs: 0, intervalMs: 1000, outDir: join(base, 'file') }).catch(
      (e: unknown) => e,
    );
    expect((notDir as InputError).code).toBe('MT_ERR_COLLECT_OUTDIR_INVALID');
  });

  it('accepts an existing empty outDir', async () => {
    await mkdir(out);
    const s = await collectBundle({ durationMs: 0, intervalMs: 1000, outDir: out });
    expect(s.samplesTaken).toBe(1);
    expect((await readdir(out)).sort()).toEqual(['meta.json', 'proc']);
  });

  it('refuses bad options with coded InputErrors', async () => {
    const codeOf = (o: Partial<Parameters<typeof collectBundle>[0]>) =>
      collectBundle({ durationMs: 0, intervalMs: 1000, outDir: out, ...o }).then(
        () => 'no error',
        (e: InputError) => e.code,
      );
    expect(await codeOf({ target: 'localhost:6060' })).toBe('MT_ERR_COLLECT_TARGET_INVALID');
    expect(await codeOf({ target: 'http://svc' })).toBe('MT_ERR_COLLECT_TARGET_INVALID');
    expect(await codeOf({ intervalMs: 5 })).toBe('MT_ERR_COLLECT_OPTIONS_INVALID');
    expect(await codeOf({ durationMs: Number.NaN })).toBe('MT_ERR_COLLECT_OPTIONS_INVALID');
    expect(await codeOf({ pid: -3 })).toBe('MT_ERR_COLLECT_OPTIONS_INVALID');
    expect(await codeOf({ pid: 999_999_999 })).toBe('MT_ERR_COLLECT_PID_NOT_FOUND');
    expect(await codeOf({ cgroupDir: join(base, 'no-such-cgroup') })).toBe('MT_ERR_COLLECT_CGROUP_INVALID');
    expect(await readdir(base)).toEqual([]);
  });

  it('fails with MT_ERR_COLLECT_NOTHING when no source gave anything, after writing meta.json', async () => {
    server = await startReplayServer(cap);
    const url = server.url;
    await server.close();
    server = undefined;
    const err = await collectBundle({
      target: url,
      durationMs: 200,
      intervalMs: 100,
      outDir: out,
      procRoot: join(base, 'empty-proc'),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CollectFailedError);
    expect((err as CollectFailedError).code).toBe('MT_ERR_COLLECT_NOTHING');
    expect((err as CollectFailedError).message).toMatch(/ECONNREFUSED/);
    const m = await meta();
    expect(m.warnings.map((w) => w.source)).toEqual(expect.arrayContaining(['expvar', 'proc', 'pprof']));
    expect(m.warnings.find((w) => w.source === 'expvar')?.count).toBe(3);
  });
});
