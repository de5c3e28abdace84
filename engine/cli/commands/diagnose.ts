import { diagnoseBundle } from '../../diagnose/diagnose-bundle.js';
import { loadCompiledRules, type RuleSourceOptions } from '../../diagnose/load-rules.js';
import type { CliIo } from '../io.js';
import { checkFormat, outputDiagnosis } from './output-diagnosis.js';

export interface DiagnoseCliOptions extends RuleSourceOptions {
  format: string;
  explain?: boolean;
}

/**
 * `memtriage diagnose <bundle>`: exit 0 with a diagnosis (a cause or none), 2 on bad input.
 * text/markdown/slack/email/html print the runbook for that channel; json prints the Diagnosis.
 */
export async function diagnoseCommand(
  bundleDir: string,
  opts: DiagnoseCliOptions,
  io: CliIo,
): Promise<number> {
  const format = checkFormat('--format', opts.format);
  const rules = await loadCompiledRules(opts);
  const diagnosis = await diagnoseBundle(bundleDir, rules, { explain: opts.explain === true });
  io.out(
    await outputDiagnosis(diagnosis, format, {
      color: io.isTty,
      ...(opts.templates ? { templatesDirs: [...opts.templates] } : {}),
    }),
  );
  return 0;
}
