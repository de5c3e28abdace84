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
});
