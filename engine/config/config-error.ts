import { InputError } from '../errors.js';

export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted data path (`channels.oncall.token`), `(root)` for the document. */
  path: string;
  message: string;
}

/** Every problem of a config file at once, each at file:line:column (CLI exit code 2). */
export class ConfigError extends InputError {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      'MT_ERR_CONFIG_INVALID',
      `invalid config:\n${issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.path}: ${i.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}
