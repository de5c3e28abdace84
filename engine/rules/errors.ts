import { InputError, MemtriageError } from '../errors.js';
import type { RuleIssue } from './types.js';
import { formatIssues } from './format-issues.js';

/**
 * A rule set failed validation. Loading is atomic, so this carries every problem found in every
 * file of every directory, not just the first one (docs/architecture.md, "Report every problem at once").
 */
export class RuleLoadError extends InputError {
  readonly issues: readonly RuleIssue[];
  constructor(issues: readonly RuleIssue[]) {
    const n = issues.length;
    super('MT_ERR_RULE_INVALID', `${n} problem${n === 1 ? '' : 's'} in the rules:\n${formatIssues(issues)}`);
    this.name = 'RuleLoadError';
    this.issues = issues;
  }
}

/** json-rules-engine refused a rule we had already validated: a bug in the compiler, not in the YAML. */
export class RuleCompileError extends MemtriageError {
  constructor(
    readonly ruleId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('MT_ERR_RULE_COMPILE', `rule ${ruleId}: ${message}`, options);
    this.name = 'RuleCompileError';
  }
}

/** Evaluation failed: json-rules-engine rejected, or a fact had the wrong type for its catalogue unit. */
export class RuleEvalError extends MemtriageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MT_ERR_RULE_EVAL', message, options);
    this.name = 'RuleEvalError';
  }
}
