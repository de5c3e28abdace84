import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePromText } from '../../../engine/parse/prom-text/parse-prom-text.js';
import { promToPsi } from '../../../engine/parse/prom-text/prom-to-psi.js';
import { promToVmstat } from '../../../engine/parse/prom-text/prom-to-vmstat.js';
import type { ParseWarning } from '../../../engine/parse/types.js';

const dir = fileURLToPath(new URL('../../fixtures/prom-text/', import.meta.url));
const node = parsePromText(readFileSync(dir + 'node-exporter-vmstat-psi.prom', 'utf8')).value;
const parse = (text: string) => parsePromText(text).value;

describe('promToVmstat (values from the pub-reclaim-pressure host, last full snapshot)', () => {
  it('limit reclaim, not kswapd: pgscan_kswapd 0, refaults and major faults high', () => {
    const vm = promToVmstat(node)!;
    expect(vm.pgscanKswapd).toBe(0);
    expect(vm.pgscanDirect).toBe(0);
    expect(vm.allocstall).toBe(0); // sum of allocstall_{dma,dma32,normal,movable,device}
    expect(vm.raw['pgscan_file']).toBe(79099762);
    expect(vm.pgmajfault).toBe(1317161);
    expect(vm.workingsetRefaultFile).toBe(44178168);
    expect(vm.workingsetRefault).toBe(44178168); // file + anon (5.9+ names)
    expect(vm.oomKill).toBe(11);
    expect(Object.keys(vm.raw)).toHaveLength(22);
    expect(vm.ts).toBeUndefined();
  });

  it('old kernels: per-zone pgscan summed, single allocstall and workingset_refault', () => {
    const vm = promToVmstat(
      parse(
        'node_vmstat_pgscan_kswapd_normal 10\nnode_vmstat_pgscan_kswapd_dma32 5\nnode_vmstat_allocstall 3\nnode_vmstat_workingset_refault 7\n',
      ),
    )!;
    expect(vm.pgscanKswapd).toBe(15);
    expect(vm.allocstall).toBe(3);
    expect(vm.workingsetRefault).toBe(7);
  });

  it("node_exporter's default field set: absent counters stay absent, and half a refault pair is not summed", () => {
    const vm = promToVmstat(
      parse('node_vmstat_pgmajfault 4\nnode_vmstat_oom_kill 0\nnode_vmstat_workingset_refault_file 9\n'),
    )!;
    expect(vm).toEqual({
      raw: { pgmajfault: 4, oom_kill: 0, workingset_refault_file: 9 },
      pgmajfault: 4,
      oomKill: 0,
      workingsetRefaultFile: 9,
    });
  });

  it('two nodes in one scrape: ambiguous keys left out, or chosen by instance', () => {
    const exp = parse(
      'node_vmstat_pgmajfault{instance="a"} 1\nnode_vmstat_pgmajfault{instance="b"} 2\nnode_vmstat_pgfault{instance="a"} 3\nnode_vmstat_pgfault{instance="b"} 4\n',
    );
    const warnings: ParseWarning[] = [];
    expect(promToVmstat(exp, undefined, warnings)).toEqual({ raw: {} });
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/node_vmstat_pgmajfault.*instance/),
      '1 more metrics are ambiguous the same way; left absent',
    ]);
    expect(promToVmstat(exp, { instance: 'b' })).toEqual({
      raw: { pgmajfault: 2, pgfault: 4 },
      pgmajfault: 2,
      pgfault: 4,
    });
  });

  it('no node_vmstat_* at all: undefined', () => {
    expect(promToVmstat(parse('go_goroutines 3\n'))).toBeUndefined();
  });
});

describe('promToPsi', () => {
  it("waiting = some, stalled = full, seconds back to the kernel's microseconds (as in pressure-memory)", () => {
    expect(promToPsi(node)).toEqual({ some: { totalMicros: 34426111 }, full: { totalMicros: 32410546 } });
  });

  it('only one line exported, or none', () => {
    expect(promToPsi(parse('node_pressure_memory_waiting_seconds_total 1.5\n'))).toEqual({
      some: { totalMicros: 1500000 },
    });
    expect(promToPsi(parse('node_pressure_cpu_waiting_seconds_total 1.5\n'))).toBeUndefined();
  });
});
