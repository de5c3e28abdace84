import { readIncident } from '../diagnose/diagnose-bundle.js';
import { diagnoseFacts } from '../diagnose/diagnose.js';
import type { Diagnosis } from '../diagnose/types.js';
import type { CompiledRuleSet } from '../rules/types.js';

/** One stored incident to replay. */
export interface ReplayItem {
  id: string;
  bundleDir: string;
  receivedAt?: number;
  service?: string;
}

export type Change = 'changed' | 'appeared' | 'disappeared' | 'unchanged' | 'error';

export interface ReplayResult {
  item: ReplayItem;
  change: Change;
  baselineTop?: string;
  candidateTop?: string;
  /** Rules that fire with the candidate but not the baseline, and the reverse. */
  newlyFired: string[];
  noLongerFired: string[];
  error?: string;
}

export interface RuleCounts {
  /** Incidents where the rule fired, with each ruleset. */
  baseline: number;
  candidate: number;
  /** Incidents where the rule is the top cause, with each ruleset. */
  baselineTop: number;
  candidateTop: number;
}

export interface BacktestReport {
  results: ReplayResult[];
  perRule: Record<string, RuleCounts>;
  totals: Record<Change, number>;
}

/**
 * Replays every bundle through a baseline and a candidate ruleset — the same pipeline as
 * `memtriage diagnose`, with the facts built once per bundle — and reports what the candidate would change. A bundle that can no longer
 * be read is reported as an error and the replay goes on.
 */
export async function backtest(
  items: readonly ReplayItem[],
  baseline: CompiledRuleSet,
  candidate: CompiledRuleSet,
): Promise<BacktestReport> {
  const results: ReplayResult[] = [];
  const perRule: Record<string, RuleCounts> = {};
  const count = (id: string) =>
    (perRule[id] ??= { baseline: 0, candidate: 0, baselineTop: 0, candidateTop: 0 });
  for (const item of items) {
    let before: Diagnosis;
    let after: Diagnosis;
    try {
      // Parse the bundle once; only the rules differ between the two runs.
      const { facts, incident } = await readIncident(item.bundleDir);
      before = await diagnoseFacts(facts, baseline, incident);
      after = await diagnoseFacts(facts, candidate, incident);
    } catch (err) {
      results.push({
        item,
        change: 'error',
        newlyFired: [],
        noLongerFired: [],
        error: (err as Error).message,
      });
      continue;
    }
    const fired = (d: Diagnosis) => new Set(d.causes.map((c) => c.ruleId));
    const b = fired(before);
    const a = fired(after);
    for (const id of b) count(id).baseline++;
    for (const id of a) count(id).candidate++;
    const baselineTop = before.causes[0]?.ruleId;
    const candidateTop = after.causes[0]?.ruleId;
    if (baselineTop) count(baselineTop).baselineTop++;
    if (candidateTop) count(candidateTop).candidateTop++;
    const change: Change =
      baselineTop === candidateTop
        ? 'unchanged'
        : baselineTop === undefined
          ? 'appeared'
          : candidateTop === undefined
            ? 'disappeared'
            : 'changed';
    results.push({
      item,
      change,
      ...(baselineTop ? { baselineTop } : {}),
      ...(candidateTop ? { candidateTop } : {}),
      newlyFired: [...a].filter((id) => !b.has(id)).sort(),
      noLongerFired: [...b].filter((id) => !a.has(id)).sort(),
    });
  }
  const totals: Record<Change, number> = { changed: 0, appeared: 0, disappeared: 0, unchanged: 0, error: 0 };
  for (const r of results) totals[r.change]++;
  return { results, perRule, totals };
}

/** A report for people: the incidents whose top cause changes, appears or disappears, then counts per rule. */
export function formatBacktest(report: BacktestReport): string {
  const lines: string[] = [];
  const changed = report.results.filter((r) => r.change !== 'unchanged');
  if (changed.length === 0) lines.push('No incident would change its top cause.');
  for (const r of changed) {
    const what =
      r.change === 'error'
        ? `could not be replayed: ${r.error}`
        : `${r.baselineTop ?? 'no cause'} → ${r.candidateTop ?? 'no cause'}`;
    const when = r.item.receivedAt ? new Date(r.item.receivedAt).toISOString() : '';
    lines.push(
      `${r.change.padEnd(11)} ${r.item.id}${r.item.service ? ` (${r.item.service})` : ''} ${when}: ${what}`,
    );
  }
  const quiet = report.results.filter(
    (r) => r.change === 'unchanged' && (r.newlyFired.length || r.noLongerFired.length),
  );
  for (const r of quiet) {
    const parts = [...r.newlyFired.map((id) => `+${id}`), ...r.noLongerFired.map((id) => `-${id}`)];
    lines.push(`same top    ${r.item.id}: also ${parts.join(' ')}`);
  }
  lines.push('', `${'rule'.padEnd(26)} ${'fired'.padStart(15)} ${'top cause'.padStart(15)}`);
  for (const [id, c] of Object.entries(report.perRule).sort(([x], [y]) => x.localeCompare(y))) {
    const delta = (x: number, y: number) => `${x} → ${y}`.padStart(15);
    lines.push(`${id.padEnd(26)} ${delta(c.baseline, c.candidate)} ${delta(c.baselineTop, c.candidateTop)}`);
  }
  const t = report.totals;
  lines.push(
    '',
    `${report.results.length} incidents replayed: ${t.changed} changed, ${t.appeared} appeared, ${t.disappeared} disappeared, ${t.unchanged} unchanged, ${t.error} errors`,
  );
  return `${lines.join('\n')}\n`;
}
