import { resolve } from 'node:path';
import { formatExplanation } from '../../diagnose/format-diagnosis.js';
import { loadCompiledRules } from '../../diagnose/load-rules.js';
import { runRuleCases } from '../../diagnose/run-rule-cases.js';
import { DEFAULT_TEMPLATES_DIR } from '../../paths.js';
import { TemplateError, validateTemplates } from '../../runbook/index.js';
import type { CliIo } from '../io.js';

export interface RulesCliOptions {
  noDefaultRules?: boolean;
  templates?: string[];
}

function sources(dirs: string[], opts: RulesCliOptions) {
  return {
    rules: dirs,
    ...(opts.noDefaultRules ? { noDefaultRules: true } : {}),
    ...(opts.templates ? { templates: opts.templates } : {}),
  };
}

/**
 * `memtriage rules validate [DIR…]`: exit 0 when the rules and the templates they render (the
 * `--templates` directories, then the shipped ones) are valid; a RuleLoadError or TemplateError
 * (exit 2) lists every problem with file:line:column.
 */
export async function rulesValidateCommand(
  dirs: string[],
  opts: RulesCliOptions,
  io: CliIo,
): Promise<number> {
  const compiled = await loadCompiledRules({ ...sources(dirs, opts), withCases: true });
  const templateDirs = [...(opts.templates ?? []), DEFAULT_TEMPLATES_DIR];
  const issues = validateTemplates(templateDirs);
  if (issues.length > 0) throw new TemplateError(issues);
  const n = compiled.ruleSet.rules.length;
  io.out(`${n} rule${n === 1 ? '' : 's'} valid (${compiled.ruleSet.dirs.join(', ')})\n`);
  io.out(`templates valid (${templateDirs.join(', ')})\n`);
  return 0;
}

/**
 * `memtriage rules test [DIR…]`: runs the cases of every loaded rule (with `--no-default-rules`, of the
 * rules in DIR only), prints each failing case with its explanation, and ends with
 * `N passed, N failed`. Exit 1 on any failure.
 */
export async function rulesTestCommand(dirs: string[], opts: RulesCliOptions, io: CliIo): Promise<number> {
  const compiled = await loadCompiledRules({ ...sources(dirs, opts), withCases: true });
  const selected = dirs.map((d) => resolve(d));
  // With the user's rules loaded beside the defaults, the shipped rules' cases run too: every case
  // diagnoses with the whole set, so a user rule that takes a shipped rule's top cause on the shipped
  // fixture fails here, not only later in `backtest`. (An installed package ships no cases.yaml, so
  // there only the user's cases run.)
  const everyRule = selected.length === 0 || opts.noDefaultRules !== true;
  const results = await runRuleCases(
    compiled,
    (rule) =>
      everyRule || selected.some((d) => resolve(rule.dir) === d || resolve(rule.dir).startsWith(`${d}/`)),
  );
  let failed = 0;
  for (const r of results) {
    const label = `${r.rule.id} ${r.kind} "${r.case.name}" (${r.case.bundleAsWritten})`;
    if (r.passed) {
      io.out(`ok    ${label}\n`);
      continue;
    }
    failed++;
    io.out(`FAIL  ${label}: ${r.reason}\n`);
    const ex = r.diagnosis.explain?.find((e) => e.ruleId === r.rule.id);
    if (ex)
      io.out(
        `${formatExplanation(ex)
          .map((l) => `      ${l}`)
          .join('\n')}\n`,
      );
    const causes = r.diagnosis.causes.map((c) => c.ruleId).join(', ') || 'none';
    io.out(`      causes found: ${causes}\n`);
  }
  io.out(`${results.length - failed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}
