import { diagnoseBundle } from '../../diagnose/diagnose-bundle.js';
import { loadCompiledRules, type RuleSourceOptions } from '../../diagnose/load-rules.js';
import type { CliIo } from '../io.js';
import { writeFile } from 'node:fs/promises';
import { InputError } from '../../errors.js';
import { checkFormat, diagnosisFile, outputDiagnosis } from './output-diagnosis.js';

export interface DiagnoseCliOptions extends RuleSourceOptions {
  format: string;
  explain?: boolean;
  /** Write to this file instead of stdout (`--format email`: a .eml message). */
  out?: string;
  /** The .eml's From (`--format email --out` only). */
  mailFrom?: string;
  /** The .eml's To addresses (`--format email --out` only). */
  mailTo?: string[];
}

/**
 * `memtriage diagnose <bundle>`: exit 0 with a diagnosis (a cause or none), 2 on bad input.
 * text/markdown/slack/email/html print the runbook for that channel; json prints the Diagnosis;
 * `--out FILE` writes it to a file (`--format email`: a .eml message, `html`: a standalone page).
 */
export async function diagnoseCommand(
  bundleDir: string,
  opts: DiagnoseCliOptions,
  io: CliIo,
): Promise<number> {
  const format = checkFormat('--format', opts.format);
  const mailFlag = opts.mailFrom !== undefined ? '--mail-from' : opts.mailTo ? '--mail-to' : undefined;
  if (mailFlag && (format !== 'email' || opts.out === undefined)) {
    throw new InputError('MT_ERR_CLI_USAGE', `${mailFlag} applies only to --format email --out FILE.eml`);
  }
  const rules = await loadCompiledRules(opts);
  const diagnosis = await diagnoseBundle(bundleDir, rules, { explain: opts.explain === true });
  const templates = opts.templates ? { templatesDirs: [...opts.templates] } : {};
  if (opts.out !== undefined) {
    const content = await diagnosisFile(diagnosis, format, {
      ...templates,
      ...(opts.mailFrom !== undefined ? { mailFrom: opts.mailFrom } : {}),
      ...(opts.mailTo ? { mailTo: opts.mailTo } : {}),
    });
    await writeFile(opts.out, content).catch((cause: unknown) => {
      throw new InputError(
        'MT_ERR_CLI_USAGE',
        `--out ${opts.out}: cannot write (${(cause as Error).message})`,
      );
    });
    return 0;
  }
  io.out(await outputDiagnosis(diagnosis, format, { color: io.isTty, ...templates }));
  return 0;
}
