import { diagnoseBundle } from '../../diagnose/diagnose-bundle.js';
import { formatDiagnosis } from '../../diagnose/format-diagnosis.js';
import { loadCompiledRules, type RuleSourceOptions } from '../../diagnose/load-rules.js';
import { InputError } from '../../errors.js';
import type { CliIo } from '../io.js';

const FORMATS = ['text', 'markdown', 'json'] as const;
type Format = (typeof FORMATS)[number];

export interface DiagnoseCliOptions extends RuleSourceOptions {
  format: string;
  explain?: boolean;
}

/** `memtriage diagnose <bundle>`: exit 0 with a diagnosis (a cause or none), 2 on bad input. */
export async function diagnoseCommand(
  bundleDir: string,
  opts: DiagnoseCliOptions,
  io: CliIo,
): Promise<number> {
  if (!FORMATS.includes(opts.format as Format)) {
    throw new InputError(
      'MT_ERR_CLI_USAGE',
      `--format must be one of ${FORMATS.join(', ')}, not "${opts.format}"`,
    );
  }
  const rules = await loadCompiledRules(opts);
  const diagnosis = await diagnoseBundle(bundleDir, rules, { explain: opts.explain === true });
  io.out(
    opts.format === 'json'
      ? `${JSON.stringify(diagnosis, null, 2)}\n`
      : formatDiagnosis(diagnosis, opts.format as 'text' | 'markdown'),
  );
  return 0;
}
