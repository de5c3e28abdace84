import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireProc } from '../../../engine/collect/proc/acquire-proc.js';
import { MAP_LEAK } from '../helpers/replay-server.js';

const CAPTURED = join(MAP_LEAK, 'proc', '1795636222392');
let fake: string;

/** A fake procfs built from the real pub-map-leak capture (pid 4242), without PSI. */
beforeAll(async () => {
  fake = await mkdtemp(join(tmpdir(), 'mt-proc-'));
  await mkdir(join(fake, '4242'));
  await cp(join(CAPTURED, 'vmstat'), join(fake, 'vmstat'));
  await cp(join(CAPTURED, 'status'), join(fake, '4242', 'status'));
});
afterAll(() => rm(fake, { recursive: true, force: true }));

describe('acquireProc', () => {
  it('reads the real /proc of this machine for the test process', async () => {
    const res = await acquireProc({ pid: process.pid });
    expect(res.warnings).toEqual([]);
    const v = res.value ?? {};
    expect(v.vmstat).toMatch(/^pgfault \d+$/m);
    expect(v.status).toMatch(new RegExp(`^Pid:\\s+${process.pid}$`, 'm'));
    expect(v.status).toMatch(/^VmRSS:\s+\d+ kB$/m);
    if (v['pressure-memory'] !== undefined)
      expect(v['pressure-memory']).toMatch(/^some avg10=\d+\.\d+ avg60=/);
    if (v.smaps_rollup !== undefined) expect(v.smaps_rollup).toMatch(/^Rss:\s+\d+ kB$/m);
  });

  it('reads a fake tree through procRoot, byte-for-byte, and notes the missing PSI and smaps_rollup', async () => {
    const res = await acquireProc({ pid: 4242, procRoot: fake });
    expect(res.status).toBe('ok');
    expect(res.value?.vmstat).toBe(await readFile(join(CAPTURED, 'vmstat'), 'utf8'));
    expect(res.value?.status).toBe(await readFile(join(CAPTURED, 'status'), 'utf8'));
    expect(res.value?.status).toMatch(/^Name:\s+dedupd$/m);
    expect(res.warnings).toEqual([]);
    expect(res.notes).toEqual([
      `proc: ${join(fake, 'pressure', 'memory')} not available (ENOENT)`,
      `proc: ${join(fake, '4242', 'smaps_rollup')} not available (ENOENT)`,
    ]);
  });

  it('warns when the process is gone but keeps the system-wide files', async () => {
    const res = await acquireProc({ pid: 999999, procRoot: fake });
    expect(res.status).toBe('partial');
    expect(Object.keys(res.value ?? {})).toEqual(['vmstat']);
    expect(res.warnings).toEqual([
      { source: 'proc', message: `${join(fake, '999999', 'status')}: process 999999 is gone` },
    ]);
  });

  it('fails when nothing at all is readable', async () => {
    const res = await acquireProc({ procRoot: join(fake, 'nope') });
    expect(res.status).toBe('failed');
    expect(res.warnings[0]?.message).toMatch(/vmstat: ENOENT/);
  });
});
