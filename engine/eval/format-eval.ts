import { HEALTHY } from './corpus.js';
import type { EvalReport, Tally } from './evaluate-corpus.js';

/** The eval report as text: per-case answers, the confusion matrix, per-rule scores, degraded variants. */
export function formatEval(r: EvalReport, title: string): string {
  const out: string[] = [`# ${title}`, ''];
  out.push(`top-1 (full bundles): ${fraction(r.full)}`);
  out.push(
    `  a problem called healthy: ${r.full.calledHealthy} · a critical cause on a healthy case: ${r.full.criticalOnHealthy} · inconclusive: ${r.full.inconclusive}`,
  );
  out.push(`top-1 (degraded variants): ${fraction(r.degraded)}`);
  out.push(
    `  a problem called healthy: ${r.degraded.calledHealthy} · a critical cause on a healthy case: ${r.degraded.criticalOnHealthy} · inconclusive: ${r.degraded.inconclusive}`,
  );
  out.push('', '## Cases', '');
  out.push(
    table(
      ['case', 'expected', 'got', 'runner-up', 'margin', 'degraded right', 'degraded wrong'],
      r.cases.map((c) => {
        const wrong = c.degraded.filter((v) => !v.correct);
        return [
          c.case.name,
          c.case.cause,
          `${c.full.correct ? '✓' : '✗'} ${c.full.predicted}${c.error ? ` (${c.error})` : ''}`,
          c.full.runnerUp ?? '—',
          c.full.margin === undefined ? '—' : c.full.margin.toFixed(2),
          `${c.degraded.length - wrong.length}/${c.degraded.length}`,
          wrong.map((v) => `${v.variant}→${v.predicted}${v.calledHealthy ? '!' : ''}`).join(' '),
        ];
      }),
    ),
  );
  out.push('', '## Confusion matrix (rows expected, columns answered; full bundles)', '');
  const expected = Object.keys(r.confusion).sort();
  const answered = [...new Set(Object.values(r.confusion).flatMap((row) => Object.keys(row)))].sort();
  out.push(
    table(
      ['expected \\ answered', ...answered],
      expected.map((e) => [e, ...answered.map((a) => String(r.confusion[e]?.[a] ?? '·'))]),
    ),
  );
  out.push('', '## Per rule (full bundles)', '');
  out.push(
    table(
      ['rule', 'precision', 'recall', 'TP', 'FP', 'FN'],
      Object.entries(r.perRule)
        .filter(([id]) => id !== HEALTHY)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([id, s]) => [
          id,
          s.precision === undefined ? '—' : s.precision.toFixed(2),
          s.recall === undefined ? '—' : s.recall.toFixed(2),
          String(s.truePositives),
          String(s.falsePositives),
          String(s.falseNegatives),
        ]),
    ),
  );
  out.push('', '## Degraded variants', '');
  out.push(
    table(
      ['variant', 'right', 'called healthy', 'inconclusive'],
      Object.entries(r.byVariant)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, t]) => [name, fraction(t), String(t.calledHealthy), String(t.inconclusive)]),
    ),
  );
  out.push('', '("!" after a degraded answer: a problem called healthy.)', '');
  return out.join('\n');
}

export function fraction(t: Tally): string {
  return t.total === 0 ? '0/0' : `${t.correct}/${t.total} (${Math.round((100 * t.correct) / t.total)}%)`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
