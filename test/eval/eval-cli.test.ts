import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/** A corpus of two real bundles: one as a directory reference, one as a .tar.gz beside labels.json. */
function tinyCorpus(labels: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mt-corpus-'));
  execFileSync('tar', ['-C', 'examples/incidents', '-czf', join(dir, 'pub-map-leak.tar.gz'), 'pub-map-leak']);
  writeFileSync(join(dir, 'labels.json'), JSON.stringify(labels));
  return dir;
}

describe('memtriage eval', () => {
  it('scores a labelled corpus: top-1, confusion matrix, per-rule scores, degraded variants', async () => {
    const dir = tinyCorpus({
      'pub-map-leak': 'go-map-leak',
      healthy: {
        cause: 'healthy',
        mechanism: 'read-only catalog',
        bundle: resolve('examples/incidents/pub-healthy-go'),
      },
    });
    const r = await runCli('eval', '--corpus', dir, '--min-top1', '100%');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('top-1 (full bundles): 2/2 (100%)');
    expect(r.out).toMatch(/\| pub-map-leak +\| go-map-leak +\| ✓ go-map-leak/);
    expect(r.out).toContain('## Confusion matrix');
    expect(r.out).toMatch(/\| go-map-leak +\| [\d.]+ +\| 1\.00 +\| 1 +\| 0 +\| 0 +\|/);
    expect(r.out).toMatch(/\| no-gctrace +\| 2\/2/);
  });

  it('exits 1 below a floor, and whenever a problem is called healthy', async () => {
    // A deliberately wrong label: the map leak "expected" as healthy gets a critical cause.
    const dir = tinyCorpus({ 'pub-map-leak': 'healthy' });
    const r = await runCli('eval', '--corpus', dir, '--min-top1', '90%');
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL: top-1 0% is below --min-top1 90%');
    expect(r.out).toContain('healthy case(s) given a critical cause');
    const json = await runCli('eval', '--corpus', dir, '--format', 'json', '--no-degraded');
    const [report] = JSON.parse(json.out) as { report: { full: { criticalOnHealthy: number } } }[];
    expect(report!.report.full.criticalOnHealthy).toBe(1);
  });

  it('rejects a bad corpus with exit 2 and the file named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-corpus-'));
    writeFileSync(join(dir, 'labels.json'), '{"missing-case": "go-map-leak"}');
    const r = await runCli('eval', '--corpus', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/labels\.json: case missing-case: no bundle at/);
    const bad = await runCli('eval', '--corpus', dir, '--min-top1', 'lots');
    expect(bad.code).toBe(2);
  });
});
