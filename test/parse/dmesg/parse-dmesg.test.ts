import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDmesg } from '../../../engine/parse/dmesg/parse-dmesg.js';

const KB = 1024;
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bundleLog = (name: string) => readFileSync(`${repo}examples/incidents/${name}/dmesg.txt`, 'utf8');
const fixture = (name: string) => readFileSync(`${repo}test/fixtures/dmesg/${name}`, 'utf8');

describe('parseDmesg on the captured OOM kills (kernel 6.18, cgroup v1)', () => {
  it('pub-no-memlimit: catalogd killed by its memory cgroup at the 256 MiB limit', () => {
    const { value, warnings } = parseDmesg(bundleLog('pub-no-memlimit'));
    expect(warnings).toEqual([]);
    expect(value.kills).toEqual([
      {
        line: 86,
        memcg: true,
        pid: 11302,
        processName: 'catalogd',
        totalVmBytes: 1296440 * KB,
        anonRssBytes: 259696 * KB,
        fileRssBytes: 4100 * KB,
        shmemRssBytes: 0,
        oomScoreAdj: 0,
        invokedBy: 'catalogd',
        oomMemcg: '/hc_49522ada',
        taskMemcg: '/hc_49522ada',
        constraint: 'CONSTRAINT_MEMCG',
        memcgUsageBytes: 262144 * KB,
        memcgLimitBytes: 262144 * KB,
        memcgFailcnt: 527787,
        kernelTimeSeconds: 4571.137015,
      },
    ]);
  });

  it('pub-oom-no-runtime: python3 killed with anon-rss 160896 kB at the 160 MiB limit', () => {
    const { value, warnings } = parseDmesg(bundleLog('pub-oom-no-runtime'));
    expect(warnings).toEqual([]);
    expect(value.kills).toHaveLength(1);
    expect(value.kills[0]).toMatchObject({
      line: 87,
      memcg: true,
      pid: 7336,
      processName: 'python3',
      totalVmBytes: 173292 * KB,
      anonRssBytes: 160896 * KB,
      invokedBy: 'python3',
      memcgLimitBytes: 160 * 1024 * KB,
      memcgFailcnt: 1908736,
      oomMemcg: '/hc_9db01774',
    });
  });
});

describe('parseDmesg on hand-made variants', () => {
  it('a global OOM in journal/syslog form: memcg false, no memcg usage, the task cgroup still named', () => {
    const { value, warnings } = parseDmesg(fixture('global-oom-journal.log'));
    expect(warnings).toEqual([]);
    expect(value.kills).toHaveLength(1);
    const kill = value.kills[0]!;
    expect(kill).toMatchObject({
      line: 7,
      memcg: false,
      pid: 8790,
      processName: 'java',
      invokedBy: 'java',
      anonRssBytes: 15728640 * KB,
      constraint: 'CONSTRAINT_NONE',
      taskMemcg: '/system.slice/orders.service',
    });
    expect(kill.memcgUsageBytes).toBeUndefined();
    expect(kill.kernelTimeSeconds).toBeUndefined();
  });

  it('kernels before 4.19: `Kill process … or sacrifice child` then a bare `Killed process` line', () => {
    const { value, warnings } = parseDmesg(fixture('old-kernel-memcg.log'));
    expect(warnings).toEqual([]);
    expect(
      value.kills.map((k) => [k.line, k.memcg, k.pid, k.processName, k.anonRssBytes, k.shmemRssBytes]),
    ).toEqual([
      [6, true, 4242, 'ledger', 520100 * KB, 0],
      [8, false, 5150, 'indexer', 720100 * KB, undefined],
    ]);
    expect(value.kills[0]).toMatchObject({
      memcgUsageBytes: 524288 * KB,
      memcgFailcnt: 3120,
      invokedBy: 'ledger',
    });
    expect(value.kills[1]!.invokedBy).toBeUndefined();
  });

  it('`dmesg -T` timestamps, two kills in one cgroup, a kernel thread invoking the killer', () => {
    const { value, warnings } = parseDmesg(fixture('dmesg-T-two-kills.log'));
    expect(warnings).toEqual([]);
    expect(value.kills.map((k) => [k.pid, k.invokedBy, k.memcgFailcnt, k.oomScoreAdj, k.taskMemcg])).toEqual([
      [300, 'tilecache', 44, 900, '/kubepods.slice/pod-a.slice/cri-containerd-1.scope'],
      [412, 'kworker/u4:2', 91, -998, '/kubepods.slice/pod-a.slice/cri-containerd-2.scope'],
    ]);
  });

  it('truncated reports: a cut `Killed process` line and a report with no kill give warnings with lines', () => {
    const { value, warnings } = parseDmesg(fixture('truncated.log'));
    expect(value.kills).toHaveLength(1);
    expect(value.kills[0]).toMatchObject({
      line: 4,
      pid: 11302,
      totalVmBytes: 1296440 * KB,
      memcgFailcnt: 527787,
    });
    expect(value.kills[0]!.anonRssBytes).toBeUndefined();
    expect(warnings.map((w) => w.line)).toEqual([4, 7, 8]);
  });

  it('ignores unrelated kernel lines and empty input', () => {
    expect(parseDmesg('')).toEqual({ value: { kills: [] }, warnings: [] });
    const noise = '[    0.000000] Linux version 6.18.44\n[    1.234567] EXT4-fs (vda1): mounted filesystem\n';
    expect(parseDmesg(noise)).toEqual({ value: { kills: [] }, warnings: [] });
  });
});
