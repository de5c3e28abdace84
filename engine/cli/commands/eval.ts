import { loadCompiledRules } from '../../diagnose/load-rules.js';
import { InputError } from '../../errors.js';
import { loadCorpus } from '../../eval/corpus.js';
import { evaluateCorpus, type EvalReport } from '../../eval/evaluate-corpus.js';
import { formatEval } from '../../eval/format-eval.js';
import { parseQuantity } from '../../rules/index.js';
import type { CliIo } from '../io.js';

export interface EvalCliOptions {
  corpus: string[];
  rules?: string[];
  noDefaultRules?: boolean;
  format: string;
  degraded: boolean;
  /** Fail (exit 1) below this share of right top-1 answers on full bundles. */
  minTop1?: string;
  /** Fail below this share of right answers on degraded variants. */
  minDegraded?: string;
}

/**
 * `memtriage eval --corpus DIR…`: diagnoses every labelled case (and its degraded variants) and
 * reports accuracy. Exit 1 when a floor is not met, or whenever a problem is called healthy or a
 * healthy case gets a critical cause: those errors have no acceptable rate.
 */
export async function evalCommand(opts: EvalCliOptions, io: CliIo): Promise<number> {
  if (opts.format !== 'text' && opts.format !== 'json') {
    throw new InputError('MT_ERR_CLI_USAGE', `--format ${opts.format}: use text or json`);
  }
  const minTop1 = ratioOption('--min-top1', opts.minTop1);
  const minDegraded = ratioOption('--min-degraded', opts.minDegraded);
  const rules = await loadCompiledRules({
    ...(opts.rules ? { rules: opts.rules } : {}),
    ...(opts.noDefaultRules ? { noDefaultRules: true } : {}),
  });
  let failed = false;
  const reports: { corpus: string; report: EvalReport }[] = [];
  for (const dir of opts.corpus) {
    const report = await evaluateCorpus(await loadCorpus(dir), rules, { degraded: opts.degraded });
    reports.push({ corpus: dir, report });
    const failures = [
      ...(minTop1 !== undefined && share(report.full) < minTop1
        ? [`top-1 ${pct(share(report.full))} is below --min-top1 ${pct(minTop1)}`]
        : []),
      ...(minDegraded !== undefined && share(report.degraded) < minDegraded
        ? [`degraded ${pct(share(report.degraded))} is below --min-degraded ${pct(minDegraded)}`]
        : []),
      ...(report.full.calledHealthy + report.degraded.calledHealthy > 0
        ? [`${report.full.calledHealthy + report.degraded.calledHealthy} problem(s) called healthy`]
        : []),
      ...(report.full.criticalOnHealthy > 0
        ? [`${report.full.criticalOnHealthy} healthy case(s) given a critical cause`]
        : []),
      ...report.cases.filter((c) => c.error !== undefined).map((c) => `${c.case.name}: ${c.error}`),
    ];
    if (opts.format === 'text') {
      io.out(formatEval(report, `memtriage eval ${dir}`));
      for (const f of failures) io.out(`FAIL: ${f}\n`);
      io.out('\n');
    }
    if (failures.length > 0) failed = true;
  }
  if (opts.format === 'json') io.out(`${JSON.stringify(reports, null, 2)}\n`);
  return failed ? 1 : 0;
}

function share(t: { total: number; correct: number }): number {
  return t.total === 0 ? 1 : t.correct / t.total;
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

function ratioOption(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const q = parseQuantity(raw, 'ratio', 'the value');
  if (!q.ok || q.value < 0 || q.value > 1) {
    throw new InputError('MT_ERR_CLI_USAGE', `${flag} ${raw}: write a share such as 90% or 0.9`);
  }
  return q.value;
}
