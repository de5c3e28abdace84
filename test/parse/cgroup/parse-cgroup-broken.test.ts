import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCgroupFiles } from '../../../engine/parse/cgroup/parse-cgroup.js';
import { readCgroupDir } from '../../../engine/parse/cgroup/read-cgroup-dir.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/cgroup/', import.meta.url));

async function fixture(name: string) {
  return parseCgroupFiles(await readCgroupDir(join(FIXTURES, name)));
}

describe('parseCgroupFiles on broken input', () => {
  it('v1 folder of empty files: version still v1, every value absent, a warning per file', async () => {
    const { value, warnings } = await fixture('v1-broken-empty');
    expect(value.version).toBe(1);
    expect(value.usageBytes).toBeUndefined();
    expect(value.limitBytes).toBeUndefined();
    expect(value.failcnt).toBeUndefined();
    expect(value.oomKills).toBeUndefined();
    expect(value.pressure).toBeUndefined();
    expect(value.stat).toEqual({});
    const text = warnings.map((w) => w.message).join('\n');
    for (const f of [
      'memory.usage_in_bytes: empty',
      'memory.limit_in_bytes: empty',
      'memory.failcnt: empty',
      'memory.stat: no counters',
      'memory.oom_control: none of',
      'memory.pressure: PSI: no',
    ]) {
      expect(text).toContain(f);
    }
  });

  it('v1 garbled: bad numbers are dropped with line numbers, the truncated stat keeps what it had', async () => {
    const { value, warnings } = await fixture('v1-broken-garbled');
    expect(value.version).toBe(1);
    expect(value.usageBytes).toBeUndefined();
    expect(value.limitBytes).toBeUndefined();
    expect(value.failcnt).toBeUndefined();
    expect(value.peakBytes).toBeUndefined();
    expect(value.oomKills).toBe(1);
    expect(value.underOom).toBeUndefined();
    // PSI: the bad `some` line is dropped, the good `full` line kept.
    expect(value.pressure?.some).toBeUndefined();
    expect(value.pressure?.full?.totalMicros).toBe(12);
    // memory.stat cut after total_workingset_refault_anon: totals where present, locals otherwise.
    expect(value.stat.anonBytes).toBe(2719744);
    expect(value.stat.fileMappedBytes).toBe(96055296);
    expect(value.stat.pgmajfault).toBe(284285);
    expect(value.rawStat.total_pgma).toBeUndefined();
    expect(warnings).toContainEqual({
      line: 1,
      message: 'memory.usage_in_bytes: expected a non-negative integer, got "abc"',
    });
    expect(warnings).toContainEqual({
      line: 1,
      message: 'memory.limit_in_bytes: expected a non-negative integer, got "-1"',
    });
    expect(warnings).toContainEqual({
      line: 2,
      message: 'memory.oom_control: cannot read "under_oom" as "key value"',
    });
    expect(warnings).toContainEqual({
      line: 31,
      message: 'memory.stat: cannot read "total_pgma" as "key value"',
    });
    expect(warnings.some((w) => w.message.includes('total_pgmajfault missing'))).toBe(true);
    expect(
      warnings.some((w) =>
        w.message.startsWith('memory.max_usage_in_bytes: 9223372036854771712 exceeds 2^53'),
      ),
    ).toBe(true);
  });

  it('v2 garbled: "maximum" is not "max", a cut events file keeps its whole lines', async () => {
    const { value, warnings } = await fixture('v2-broken');
    expect(value.version).toBe(2);
    expect(value.usageBytes).toBeUndefined();
    expect(value.limitBytes).toBeUndefined();
    expect(value.events).toEqual({ low: 0, high: 0, max: 3 });
    expect(value.oomKills).toBeUndefined();
    expect(value.stat).toEqual({ anonBytes: 1048576, fileMappedBytes: 4096 });
    expect(value.pressure).toBeUndefined();
    expect(warnings).toContainEqual({
      line: 1,
      message: 'memory.current: expected a non-negative integer, got "12x"',
    });
    expect(warnings).toContainEqual({
      line: 1,
      message: 'memory.max: expected a non-negative integer, got "maximum"',
    });
    expect(warnings).toContainEqual({
      line: 4,
      message: 'memory.events: cannot read "oom_ki" as "key value"',
    });
    expect(
      warnings.filter((w) => w.message.startsWith('memory.stat: cannot read')).map((w) => w.line),
    ).toEqual([2, 3]);
  });

  it('an empty map, or memory.pressure alone, gives a warning and no values', () => {
    const empty = parseCgroupFiles({});
    expect(empty.value).toEqual({ version: 2, stat: {}, rawStat: {} });
    expect(empty.warnings[0]?.message).toMatch(/no memory controller files/);
    const psiOnly = parseCgroupFiles(
      { 'memory.pressure': 'some avg10=1.00 avg60=0.50 avg300=0.10 total=100\n' },
      5,
    );
    expect(psiOnly.value.pressure?.some?.avg10).toBe(1);
    expect(psiOnly.value.pressure?.ts).toBe(5);
    expect(psiOnly.value.ts).toBe(5);
    expect(psiOnly.warnings).toHaveLength(1);
  });

  it('guesses the version from memory.stat keys when no usage or limit file exists', () => {
    const v1 = parseCgroupFiles({ 'memory.stat': 'cache 4096\nrss 8192\n' });
    expect(v1.value.version).toBe(1);
    expect(v1.value.stat).toEqual({ anonBytes: 8192, fileBytes: 4096 });
    const v2 = parseCgroupFiles({ 'memory.stat': 'anon 8192\nfile 4096\n' });
    expect(v2.value.version).toBe(2);
    expect(v2.value.stat).toEqual({ anonBytes: 8192, fileBytes: 4096 });
    expect(v1.warnings[0]?.message).toMatch(/guessed from memory.stat/);
  });

  it('v1 unlimited limits near 2^63 (4 KiB and 64 KiB pages) read as null, real limits as bytes', () => {
    const read = (limit: string) =>
      parseCgroupFiles({ 'memory.usage_in_bytes': '1\n', 'memory.limit_in_bytes': `${limit}\n` });
    expect(read('9223372036854771712').value.limitBytes).toBeNull();
    expect(read('9223372036854710272').value.limitBytes).toBeNull();
    expect(read('268435456').value.limitBytes).toBe(268435456);
    // Above 2^53 but far from "unlimited": dropped with a warning rather than rounded.
    const odd = read('18014398509481984');
    expect(odd.value.limitBytes).toBeUndefined();
    expect(odd.warnings[0]?.message).toMatch(/exceeds 2\^53 but is below 2\^62/);
  });

  it('a mixed v1 + v2 map is read as v1 when memory.usage_in_bytes is there, with a warning', () => {
    const r = parseCgroupFiles({ 'memory.usage_in_bytes': '10\n', 'memory.current': '20\n' });
    expect(r.value.version).toBe(1);
    expect(r.value.usageBytes).toBe(10);
    expect(r.warnings[0]?.message).toMatch(/both v1 and v2/);
  });

  it('v2 memory.low "max" cannot be represented: warned and left out; extra lines after a value are warned', () => {
    const r = parseCgroupFiles({
      'memory.current': '4096\n\n7\n',
      'memory.low': 'max\n',
      'memory.min': '0\n',
    });
    expect(r.value.usageBytes).toBe(4096);
    expect(r.value.lowBytes).toBeUndefined();
    expect(r.value.minBytes).toBe(0);
    expect(r.warnings).toEqual([
      { line: 3, message: 'memory.current: unexpected extra content after the value; ignored' },
      { message: 'memory.low: "max" (full protection) cannot be represented; left out' },
    ]);
  });
});
