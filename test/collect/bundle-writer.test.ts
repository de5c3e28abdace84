import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBundleWriter } from '../../engine/collect/bundle-writer.js';
import { MAP_LEAK, asExpvarBody, loadCaptured } from './helpers/replay-server.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mt-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every file under dir, relative, sorted; `*.tmp` leftovers would show up here. */
async function tree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

describe('createBundleWriter', () => {
  it('rebuilds memstats.jsonl of pub-map-leak line for line from Go-formatted expvar bodies', async () => {
    const original = (await readFile(join(MAP_LEAK, 'memstats.jsonl'), 'utf8')).split('\n').filter(Boolean);
    const { vars } = loadCaptured();
    const w = createBundleWriter(dir);
    for (const [i, line] of original.entries()) {
      const ts = Number(/^\{"ts":(\d+)/.exec(line)?.[1]);
      expect(await w.appendMemstats(ts, asExpvarBody(vars[i] ?? ''))).toBe(true);
    }
    expect(await readFile(join(dir, 'memstats.jsonl'), 'utf8')).toBe(`${original.join('\n')}\n`);
    expect(w.warnings).toEqual([]);
  });

  it('skips a garbage or truncated /debug/vars body with a warning and keeps appending', async () => {
    const w = createBundleWriter(dir);
    expect(await w.appendMemstats(1, '{"memstats":{"Alloc":1}}')).toBe(true);
    expect(await w.appendMemstats(2, '<html>502 Bad Gateway</html>')).toBe(false);
    expect(await w.appendMemstats(3, '{"memstats":{"Alloc":')).toBe(false);
    expect(await w.appendMemstats(4, '{"memstats":{"Alloc":4}}')).toBe(true);
    const lines = (await readFile(join(dir, 'memstats.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { ts: number }).ts)).toEqual([1, 4]);
    expect(w.warnings.map((x) => [x.source, x.firstTs])).toEqual([
      ['bundle', 2],
      ['bundle', 3],
    ]);
    expect(w.warnings[0]?.message).toMatch(/skipped \/debug\/vars body at ts 2: not valid JSON/);
  });

  it('writes the whole layout, raw files byte-for-byte, with no *.tmp left behind', async () => {
    const cap = loadCaptured();
    const cgDir = join(MAP_LEAK, 'cgroup', '1795636222391');
    const cgFiles: Record<string, Buffer> = {};
    for (const name of await readdir(cgDir)) cgFiles[name] = await readFile(join(cgDir, name));
    const procDir = join(MAP_LEAK, 'proc', '1795636222392');
    const read = (n: string) => readFile(join(procDir, n), 'utf8');
    const w = createBundleWriter(join(dir, 'b'));
    await Promise.all([
      w.appendMetrics(10, 'go_goroutines 4\n'),
      w.writeCgroupSnapshot(10, cgFiles),
      w.writeProcSnapshot(10, {
        vmstat: await read('vmstat'),
        'pressure-memory': await read('pressure-memory'),
        status: await read('status'),
        smaps_rollup: await read('smaps_rollup'),
      }),
      w.writeHeapProfile(20, cap.series[0] ?? Buffer.alloc(0)),
    ]);
    await w.writeHeapProfile(30, cap.heapPb);
    await w.writeHeapText(cap.heapTxt);
    await w.writeMeta({
      startUnixMs: 1,
      endUnixMs: 2,
      collector: {
        tool: 'memtriage collect',
        intervalMs: 1,
        durationMs: 1,
        samplesPlanned: 1,
        samplesTaken: 1,
        aborted: false,
      },
      notes: [],
      warnings: [],
    });
    const b = join(dir, 'b');
    expect(await tree(b)).toEqual([
      ...Object.keys(cgFiles)
        .map((n) => `cgroup/10/${n}`)
        .sort(),
      'heap.pb.gz',
      'heap.txt',
      'meta.json',
      'metrics.jsonl',
      'pprof/20.pb.gz',
      'pprof/30.pb.gz',
      'proc/10/pressure-memory',
      'proc/10/smaps_rollup',
      'proc/10/status',
      'proc/10/vmstat',
    ]);
    for (const [n, bytes] of Object.entries(cgFiles))
      expect(await readFile(join(b, 'cgroup/10', n))).toEqual(bytes);
    expect(await readFile(join(b, 'proc/10/status'))).toEqual(await readFile(join(procDir, 'status')));
    expect(await readFile(join(b, 'pprof/20.pb.gz'))).toEqual(cap.series[0]);
    expect(await readFile(join(b, 'heap.pb.gz'))).toEqual(cap.heapPb);
    expect(await readFile(join(b, 'heap.txt'))).toEqual(cap.heapTxt);
    expect(JSON.parse(await readFile(join(b, 'metrics.jsonl'), 'utf8'))).toEqual({
      ts: 10,
      text: 'go_goroutines 4\n',
    });
    expect(JSON.parse(await readFile(join(b, 'meta.json'), 'utf8')).endUnixMs).toBe(2);
  });

  it('refuses file names that would escape the snapshot folder', async () => {
    const w = createBundleWriter(dir);
    const n = await w.writeCgroupSnapshot(5, {
      '../../evil': 'x',
      'a/b': 'x',
      '..': 'x',
      'memory.current': '42\n',
    });
    expect(n).toBe(1);
    expect(await tree(dir)).toEqual(['cgroup/5/memory.current']);
    expect(w.warnings).toHaveLength(3);
    expect(await w.writeCgroupSnapshot(6, { '../x': 'y' })).toBe(0);
  });

  it('rejects a timestamp that is not unix ms instead of naming a folder after it', async () => {
    const w = createBundleWriter(dir);
    await expect(w.appendMetrics(-1, 'x')).rejects.toThrow(RangeError);
    await expect(w.writeCgroupSnapshot(1.5, { 'memory.current': '1' })).rejects.toThrow(RangeError);
    await expect(w.writeHeapProfile(Number.NaN, Buffer.from([0x1f, 0x8b]))).rejects.toThrow(RangeError);
  });

  it('keeps raw alert text byte-for-byte and refuses invalid JSON', async () => {
    const w = createBundleWriter(dir);
    const raw = '{ "version": "4", "status": "firing",\n  "alerts": [] }';
    expect(await w.writeAlert(raw)).toBe(true);
    expect(await readFile(join(dir, 'alert.json'), 'utf8')).toBe(raw);
    expect(await w.writeAlert('{"version": "4",')).toBe(false);
    expect(await readFile(join(dir, 'alert.json'), 'utf8')).toBe(raw);
    expect(await w.writeAlert({ version: '4' })).toBe(true);
    expect(JSON.parse(await readFile(join(dir, 'alert.json'), 'utf8'))).toEqual({ version: '4' });
  });

  it('keeps appended lines whole and in order under concurrent appends', async () => {
    const w = createBundleWriter(dir);
    const big = 'x'.repeat(200_000);
    await Promise.all(Array.from({ length: 50 }, (_, i) => w.appendMetrics(i, `${i} ${big}`)));
    const lines = (await readFile(join(dir, 'metrics.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { ts: number }).ts)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
  });
});
