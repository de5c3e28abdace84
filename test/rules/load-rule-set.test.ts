import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleSet, RuleLoadError, templatesIn } from '../../engine/rules/index.js';
import type { Comparison, Condition, Rule } from '../../engine/rules/index.js';

const GOOD = 'test/fixtures/rules/good';
const any = () => true;

function leavesOf(c: Condition): Comparison[] {
  if (c.type === 'comparison') return [c];
  if (c.type === 'not') return leavesOf(c.condition);
  return c.conditions.flatMap(leavesOf);
}
const byId = (rules: Rule[], id: string): Rule => {
  const r = rules.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
};

describe('loadRuleSet on good rules', () => {
  it('loads the realistic set in folder order with defaults applied', async () => {
    const set = await loadRuleSet({ dirs: [join(GOOD, 'realistic')], templateExists: any });
    expect(set.rules.map((r) => r.id)).toEqual([
      'cgroup-oom-kill',
      'go-gc-thrash',
      'go-goroutine-leak',
      'go-heap-fragmentation',
      'go-map-leak',
      'go-no-memlimit',
      'go-slice-overcap',
      'jvm-offheap',
      'kswapd-pressure',
      'rss-near-limit',
    ]);
    const oom = byId(set.rules, 'cgroup-oom-kill');
    expect(oom).toMatchObject({
      kind: 'symptom',
      confidence: 0.95,
      severity: 'critical',
      runbook: 'cgroup-oom-kill',
    });
    expect(byId(set.rules, 'go-slice-overcap')).toMatchObject({ kind: 'cause', confidence: 0.8 });
    expect(byId(set.rules, 'rss-near-limit').description).toContain('catch-all');
    expect(set.dirs).toEqual([resolve(GOOD, 'realistic')]);
  });

  it('leaves cases.yaml alone unless asked: a diagnosis does not need the example bundles', async () => {
    const set = await loadRuleSet({ dirs: [join(GOOD, 'realistic')], templateExists: any });
    expect(byId(set.rules, 'go-map-leak').cases).toBeUndefined();
    const root = mkdtempSync(join(tmpdir(), 'memtriage-nocases-'));
    cpSync(join(GOOD, 'realistic'), root, { recursive: true });
    writeFileSync(
      join(root, 'go-map-leak', 'cases.yaml'),
      'fires: [{ name: x, bundle: ../../no/such/bundle }]\n',
    );
    await expect(loadRuleSet({ dirs: [root], templateExists: any })).resolves.toBeDefined();
    await expect(loadRuleSet({ dirs: [root], templateExists: any, withCases: true })).rejects.toThrow(
      RuleLoadError,
    );
  });

  it('converts thresholds to the fact unit and keeps what was written, with positions', async () => {
    const set = await loadRuleSet({ dirs: [join(GOOD, 'realistic')], templateExists: any });
    const leak = byId(set.rules, 'go-map-leak');
    expect(leak.file).toBe(join(GOOD, 'realistic', 'go-map-leak', 'rule.yaml'));
    const [slope, r2, anyNode, notNode] = leak.when.type === 'all' ? leak.when.conditions : [];
    expect(slope).toMatchObject({
      type: 'comparison',
      fact: 'gctrace.liveHeapSlopeBytesPerSecond',
      unit: 'bytes/s',
      op: 'gt',
      threshold: '256KiB/s',
      thresholdValue: 262_144,
      location: { line: 9, column: 7 },
    });
    expect(r2).toMatchObject({ op: 'gte', threshold: '0.8', thresholdValue: 0.8 });
    expect(anyNode?.type).toBe('any');
    expect(anyNode && leavesOf(anyNode).map((l) => [l.threshold, l.thresholdValue])).toEqual([
      ['40%', 0.4],
      ['map', 'map'],
    ]);
    expect(notNode).toMatchObject({
      type: 'not',
      condition: { fact: 'runtime.kind', op: 'eq', thresholdValue: 'jvm' },
    });
  });

  it('pins every operator and unit conversion', async () => {
    const set = await loadRuleSet({ dirs: [join(GOOD, 'extras')], templateExists: any });
    expect(set.rules.map((r) => r.id)).toEqual(['quiet-rule']); // _shared, .editor and README.md are skipped
    const got = leavesOf(byId(set.rules, 'quiet-rule').when).map((l) => [
      l.fact,
      l.op,
      l.threshold,
      l.thresholdValue,
    ]);
    expect(got).toEqual([
      ['memstats.heapInuseBytes', 'gt', '1.5GiB', 1_610_612_736],
      ['memstats.heapInuseSlopeBytesPerSecond', 'gte', '10MiB/m', (10 * 2 ** 20) / 60],
      ['gctrace.gcIntervalSeconds', 'lt', '250ms', 0.25],
      ['cgroup.secondsToLimit', 'lte', '1h30m', 5400],
      ['cgroup.usageRatio', 'between', '[70%, 0.95]', [0.7, 0.95]],
      ['psi.cgroupSomeAvg10MaxPercent', 'gt', '10%', 10],
      ['runtime.kind', 'in', '[go, jvm]', ['go', 'jvm']],
      ['runtime.goMemoryLimitSet', 'eq', 'false', false],
      ['kernel.oomKilledProcess', 'ne', 'sidecar', 'sidecar'],
      ['cgroup.limitBytes', 'present', 'true', true],
      ['jvm.nmtSamples', 'absent', 'true', true],
      ['cgroup.failcntPerSecond', 'gt', '6/m', 0.1],
      ['alert.firing', 'eq', 'false', false],
    ]);
  });

  it('loads cases.yaml with bundles resolved from its folder, and finds the README', async () => {
    const set = await loadRuleSet({ dirs: [join(GOOD, 'realistic')], templateExists: any, withCases: true });
    const leak = byId(set.rules, 'go-map-leak');
    expect(leak.readme).toBe(join(GOOD, 'realistic', 'go-map-leak', 'README.md'));
    expect(leak.cases?.fires).toEqual([
      {
        name: 'steady map growth',
        bundleAsWritten: '../../../../../../examples/incidents/pub-map-leak',
        bundle: resolve('examples/incidents/pub-map-leak'),
        topCause: true,
        location: { file: join(GOOD, 'realistic', 'go-map-leak', 'cases.yaml'), line: 3, column: 5 },
      },
    ]);
    expect(leak.cases?.doesNotFire.map((c) => [c.name, c.bundle, c.topCause])).toEqual([
      ['healthy churn', resolve('examples/incidents/pub-healthy-go'), false],
      ['JVM off-heap growth', resolve('examples/incidents/pub-jvm-offheap'), false],
    ]);
    expect(byId(set.rules, 'go-slice-overcap').cases).toBeUndefined();
  });

  it('accepts a bare comparison as `when`', async () => {
    const set = await loadRuleSet({ dirs: [join(GOOD, 'bare-comparison')], templateExists: any });
    expect(set.rules[0]?.when).toMatchObject({
      type: 'comparison',
      fact: 'cgroup.oomKills',
      op: 'gt',
      thresholdValue: 0,
    });
  });

  it('follows a symlinked rule folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-rules-'));
    symlinkSync(resolve(GOOD, 'bare-comparison', 'oom-seen'), join(dir, 'oom-seen'));
    const set = await loadRuleSet({ dirs: [dir], templateExists: any });
    expect(set.rules.map((r) => r.id)).toEqual(['oom-seen']);
  });

  it('loads an empty directory as an empty set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-rules-'));
    await expect(loadRuleSet({ dirs: [dir], templateExists: any })).resolves.toMatchObject({ rules: [] });
  });
});

describe('loadRuleSet policies', () => {
  const dirs = [join(GOOD, 'realistic'), join(GOOD, 'override')];

  it('rejects a user rule that reuses a default id unless overrides are enabled', async () => {
    const err = (await loadRuleSet({ dirs, templateExists: any }).catch((e: unknown) => e)) as RuleLoadError;
    expect(err).toBeInstanceOf(RuleLoadError);
    expect(err.issues).toEqual([
      expect.objectContaining({
        code: 'duplicate-id',
        file: join(GOOD, 'override', 'go-map-leak', 'rule.yaml'),
        line: 2,
        column: 5,
      }),
    ]);
    expect(err.issues[0]?.message).toContain('enable overrides');
  });

  it('with allowOverride, the later copy replaces the earlier one in place', async () => {
    const set = await loadRuleSet({ dirs, templateExists: any, allowOverride: true });
    expect(set.rules).toHaveLength(10);
    const leak = byId(set.rules, 'go-map-leak');
    expect(leak.title).toContain('tuned');
    expect(set.rules.indexOf(leak)).toBe(4);
  });

  it('never lets overrides hide a duplicate inside one directory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mt-rules-'));
    for (const folder of ['a', 'b']) {
      mkdirSync(join(root, folder));
      writeFileSync(
        join(root, folder, 'rule.yaml'),
        `id: a\ntitle: A\nseverity: info\nrunbook: a\nwhen: { fact: cgroup.oomKills, gt: 0 }\n`,
      );
    }
    const err = (await loadRuleSet({ dirs: [root], templateExists: any, allowOverride: true }).catch(
      (e: unknown) => e,
    )) as RuleLoadError;
    expect(err.issues.map((i) => [i.code, i.file.slice(root.length)])).toEqual([
      ['id-mismatch', '/b/rule.yaml'],
      ['duplicate-id', '/b/rule.yaml'],
    ]);
  });

  it('reports a missing directory', async () => {
    const err = (await loadRuleSet({ dirs: ['no/such/rules'], templateExists: any }).catch(
      (e: unknown) => e,
    )) as RuleLoadError;
    expect(err.issues).toEqual([
      { file: 'no/such/rules', line: 0, column: 0, code: 'dir-not-found', message: expect.any(String) },
    ]);
  });
});

describe('templatesIn', () => {
  it('finds <dir>/<id>.hbs in any of the directories, first match wins', () => {
    const a = mkdtempSync(join(tmpdir(), 'mt-tpl-'));
    const b = mkdtempSync(join(tmpdir(), 'mt-tpl-'));
    writeFileSync(join(b, 'go-map-leak.hbs'), '# {{title}}');
    const exists = templatesIn([a, b]);
    expect(exists('go-map-leak')).toBe(true);
    expect(exists('go-slice-overcap')).toBe(false);
  });
});
