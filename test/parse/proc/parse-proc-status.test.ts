import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseProcStatus } from '../../../engine/parse/proc/parse-proc-status.js';
import type { ProcStatus } from '../../../engine/parse/proc/types.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const INCIDENTS = join(ROOT, 'examples/incidents');
const fixture = (name: string) => readFileSync(join(ROOT, 'test/fixtures/proc', name), 'utf8');
const KiB = 1024;
const MiB = 1024 * 1024;

function statusSeries(bundle: string): { snaps: ProcStatus[]; warnings: number } {
  const dir = join(INCIDENTS, bundle, 'proc');
  let warnings = 0;
  const snaps = readdirSync(dir)
    .sort()
    .filter((ts) => existsSync(join(dir, ts, 'status')))
    .map((ts) => {
      const r = parseProcStatus(readFileSync(join(dir, ts, 'status'), 'utf8'), Number(ts));
      warnings += r.warnings.length;
      return r.value;
    });
  return { snaps, warnings };
}

describe('parseProcStatus on captured files', () => {
  it('reads every status file of every bundle without a warning', () => {
    let n = 0;
    for (const b of readdirSync(INCIDENTS).filter((x) => x.startsWith('pub-'))) {
      const { snaps, warnings } = statusSeries(b);
      expect(warnings, b).toBe(0);
      for (const s of snaps) {
        expect(s.vmRssBytes, b).toBeGreaterThan(0);
        expect(s.vmRssBytes).toBe(
          (s.rssAnonBytes as number) + (s.rssFileBytes as number) + (s.rssShmemBytes as number),
        );
      }
      n += snaps.length;
    }
    expect(n).toBe(604);
  });

  it('pub-reclaim-pressure: the first sample in full, and RssFile at 94.6 MiB at the end', () => {
    const { snaps } = statusSeries('pub-reclaim-pressure');
    expect(snaps[0]).toEqual({
      ts: 1795636613220,
      name: 'segstore',
      pid: 11347,
      vmSizeBytes: 1341660 * KiB,
      vmHwmBytes: 8572 * KiB,
      vmRssBytes: 8572 * KiB,
      rssAnonBytes: 1036 * KiB,
      rssFileBytes: 7536 * KiB,
      rssShmemBytes: 0,
      vmSwapBytes: 0,
      threads: 5,
    });
    const last = snaps.at(-1) as ProcStatus;
    expect((last.rssFileBytes as number) / MiB).toBeCloseTo(94.6, 1);
    expect((last.vmRssBytes as number) / MiB).toBeCloseTo(99.7, 1);
  });

  it('pub-fragmentation: VmRSS peaks near 491 MiB, then settles at 361 504 kB', () => {
    const { snaps } = statusSeries('pub-fragmentation');
    expect(snaps.find((s) => s.ts === 1795636552139)?.vmRssBytes).toBe(361504 * KiB);
    expect(Math.max(...snaps.map((s) => s.vmRssBytes as number)) / MiB).toBeCloseTo(491.4, 1);
    expect(snaps.at(-1)?.name).toBe('tilecache');
  });

  it('pub-jvm-offheap: VmRSS 97.6 → 443.7 MiB, 22–23 threads', () => {
    const { snaps } = statusSeries('pub-jvm-offheap');
    expect((snaps[0]?.vmRssBytes as number) / MiB).toBeCloseTo(97.6, 1);
    expect((snaps.at(-1)?.vmRssBytes as number) / MiB).toBeCloseTo(443.7, 1);
    expect(new Set(snaps.map((s) => s.threads))).toEqual(new Set([22, 23]));
  });

  it('pub-oom-no-runtime: python3 with 1 thread, VmRSS last 160.6 MiB', () => {
    const { snaps } = statusSeries('pub-oom-no-runtime');
    const last = snaps.at(-1) as ProcStatus;
    expect(last.name).toBe('python3');
    expect(last.threads).toBe(1);
    expect((last.vmRssBytes as number) / MiB).toBeCloseTo(160.6, 1);
  });
});

describe("parseProcStatus on this process's /proc/self/status", () => {
  it('reads name, pid, threads and sizes consistent with each other', () => {
    const { value, warnings } = parseProcStatus(readFileSync('/proc/self/status', 'utf8'));
    expect(warnings).toEqual([]);
    expect(value.pid).toBe(process.pid);
    // The kernel's comm for this thread: `node` on Node 20, `MainThread` on Node 24.
    expect(value.name).toBe(readFileSync('/proc/self/comm', 'utf8').trim());
    expect(value.threads).toBeGreaterThanOrEqual(1);
    expect(value.vmRssBytes).toBeGreaterThan(10 * MiB);
    expect(value.vmHwmBytes).toBeGreaterThanOrEqual(value.vmRssBytes as number);
    expect(value.vmSizeBytes).toBeGreaterThan(value.vmRssBytes as number);
    expect((value.vmRssBytes as number) % 1024).toBe(0);
  });
});

describe('parseProcStatus on unusual and broken input', () => {
  it('a kernel thread has no memory lines: they stay absent, not zero', () => {
    const { value, warnings } = parseProcStatus(fixture('status-kthread'));
    expect(warnings).toEqual([]);
    expect(value).toEqual({ name: 'kswapd0', pid: 97, threads: 1 });
  });

  it('bad values and lines are reported with their line numbers; good ones are kept', () => {
    const { value, warnings } = parseProcStatus(fixture('status-broken'), 1);
    expect(value).toEqual({
      ts: 1,
      name: 'java',
      pid: 4242,
      vmSizeBytes: 4011200 * KiB,
      vmHwmBytes: 612044 * KiB,
      rssAnonBytes: 401233 * KiB,
    });
    expect(warnings).toEqual([
      { line: 7, message: 'status: VmRSS is not a size in kB: "60x044 kB"' },
      { line: 8, message: 'status: cannot read "this line has no colon" as "Key: value"' },
      { line: 10, message: 'status: RssFile is not a size in kB: "20112"' },
      { line: 11, message: 'status: Threads is not an integer: "many"' },
      { line: 12, message: 'status: cannot read "VmSw" as "Key: value"' },
    ]);
  });

  it('empty text gives an empty result and one warning', () => {
    expect(parseProcStatus('')).toEqual({
      value: {},
      warnings: [{ message: 'status: no "Key: value" lines found' }],
    });
  });
});
