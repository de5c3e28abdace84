import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backtest, formatBacktest } from '../../engine/backtest/backtest.js';
import { loadCompiledRules } from '../../engine/diagnose/load-rules.js';

const items = readdirSync('examples/incidents')
  .filter((n) => n.startsWith('pub-'))
  .map((n) => ({ id: n, bundleDir: join('examples/incidents', n) }));

describe('backtest', () => {
  it('shows no change when the candidate equals the baseline', async () => {
    const rules = await loadCompiledRules();
    const report = await backtest(items, rules, rules);
    expect(report.totals.unchanged).toBe(items.length);
    expect(formatBacktest(report)).toContain('No incident would change its top cause.');
  });

  it('shows the incidents a tightened threshold loses, with counts per rule', async () => {
    // A candidate copy of the default rules where the goroutine leak applies to the JVM only.
    const dir = mkdtempSync(join(tmpdir(), 'mt-backtest-'));
    cpSync('rules/go-goroutine-leak', join(dir, 'go-goroutine-leak'), { recursive: true });
    const file = join(dir, 'go-goroutine-leak', 'rule.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('{ fact: runtime.kind, eq: go }', '{ fact: runtime.kind, eq: jvm }'),
    );
    // Cases point at ../../examples; the copy lives elsewhere, so drop them for this candidate.
    writeFileSync(join(dir, 'go-goroutine-leak', 'cases.yaml'), 'fires: []\ndoesNotFire: []\n');

    const baseline = await loadCompiledRules();
    const candidate = await loadCompiledRules({ rules: [dir] });
    const report = await backtest(items, baseline, candidate);
    const lost = report.results.find((r) => r.item.id === 'pub-goroutine-leak')!;
    // The heap its goroutines hold is still there: the map-leak rule (many small objects) takes over.
    expect(lost.change).toBe('changed');
    expect(lost.candidateTop).toBe('go-map-leak');
    expect(lost.noLongerFired).toEqual(['go-goroutine-leak']);
    expect(report.perRule['go-goroutine-leak']).toEqual({
      baseline: 1,
      candidate: 0,
      baselineTop: 1,
      candidateTop: 0,
    });
    expect(report.totals.changed).toBe(1);
    expect(formatBacktest(report)).toMatch(/changed +pub-goroutine-leak.*go-goroutine-leak → go-map-leak/);
  });

  it('reports an unreadable bundle and goes on', async () => {
    const rules = await loadCompiledRules();
    const report = await backtest(
      [{ id: 'gone', bundleDir: '/nonexistent/bundle' }, items[0]!],
      rules,
      rules,
    );
    expect(report.results[0]!.change).toBe('error');
    expect(report.results[1]!.change).toBe('unchanged');
  });
});
