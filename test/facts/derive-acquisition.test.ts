import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnoseBundle, readIncident } from '../../engine/diagnose/diagnose-bundle.js';
import { loadCompiledRules } from '../../engine/diagnose/load-rules.js';
import { failureKind } from '../../engine/facts/derive-acquisition.js';

describe('acquisition facts', () => {
  it('names the failure from the collector`s message', () => {
    expect(failureKind('GET http://h:1/debug/vars: connect ECONNREFUSED 10.0.0.1:1 (ECONNREFUSED)')).toBe(
      'refused',
    );
    expect(failureKind('GET http://h:1/debug/vars: no answer within 3000 ms')).toBe('timeout');
    expect(failureKind('GET http://h:1/debug/pprof/heap: HTTP 404')).toBe('http-404');
    expect(failureKind('GET http://h:1/metrics: HTTP 503')).toBe('http-error');
    expect(failureKind('GET http://nohost:1/x: getaddrinfo ENOTFOUND nohost (ENOTFOUND)')).toBe('unresolved');
  });

  it('a dead target during a critical alert is a finding at the alert`s severity, not an inconclusive INFO', async () => {
    const bundle = 'test/fixtures/bundles/target-refused';
    const { facts } = await readIncident(bundle);
    expect(facts.values['acquisition.targetFailure']).toBe('refused');
    expect(facts.values['acquisition.runtimeDataMissing']).toBe(true);
    const d = await diagnoseBundle(bundle, await loadCompiledRules());
    expect(d.outcome).toBe('cause-found');
    expect(d.causes[0]).toMatchObject({
      ruleId: 'target-unreachable',
      severity: 'critical',
      kind: 'symptom',
    });
  });

  it('the same bundle with a warning alert is a warning; without warnings there is no acquisition fact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-acq-'));
    writeFileSync(
      join(dir, 'meta.json'),
      JSON.stringify({
        service: 'x',
        startUnixMs: 1,
        endUnixMs: 60_001,
        warnings: [{ source: 'pprof', message: 'GET http://h:1/debug/pprof/heap: HTTP 404', count: 3 }],
      }),
    );
    writeFileSync(
      join(dir, 'alert.json'),
      JSON.stringify({ status: 'firing', labels: { alertname: 'M', severity: 'warning' } }),
    );
    const d = await diagnoseBundle(dir, await loadCompiledRules());
    expect(d.causes[0]).toMatchObject({ ruleId: 'target-unreachable', severity: 'warning' });
    const { facts } = await readIncident('examples/incidents/pub-healthy-go');
    expect(facts.values['acquisition.targetFailures']).toBeUndefined();
  });

  it('reports each problem once with its count, across meta.json and acquisition-warnings.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-acq-'));
    const w = { source: 'pprof', message: 'GET /debug/pprof/heap: HTTP 404' };
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ service: 'x', warnings: [{ ...w, count: 2 }] }));
    writeFileSync(
      join(dir, 'acquisition-warnings.json'),
      JSON.stringify({ target: 'checkout', warnings: [w, { source: 'collect', message: 'x' }] }),
    );
    writeFileSync(join(dir, 'alert.json'), JSON.stringify({ status: 'firing', labels: { alertname: 'M' } }));
    const { facts } = await readIncident(dir);
    expect(facts.acquisition).toEqual({
      target: 'checkout',
      nothingAcquired: true,
      problems: [
        { ...w, count: 3 },
        { source: 'collect', message: 'x', count: 1 },
      ],
    });
  });

  it('no target matched and nothing acquired: collect next is that one line, not every missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-acq-'));
    writeFileSync(
      join(dir, 'acquisition-warnings.json'),
      JSON.stringify({ noTarget: 'no target matches service=checkout', warnings: [] }),
    );
    writeFileSync(
      join(dir, 'alert.json'),
      JSON.stringify({ status: 'firing', labels: { alertname: 'M', service: 'checkout' } }),
    );
    const d = await diagnoseBundle(dir, await loadCompiledRules());
    expect(d.outcome).toBe('inconclusive');
    expect(d.collectNext).toEqual([
      'no target matches service=checkout: memtriage fetched nothing for this alert. Add a target whose match selects it (docs/config.md, targets), or attach evidence to the alert.',
    ]);
    expect(d.missingSources.length).toBeGreaterThan(0);
  });
});
