import { InputError } from '../errors.js';

/** One problem in a template, located for an editor: `templates/go-map-leak.hbs:12:5`. */
export interface TemplateIssue {
  file: string;
  /** 1-based; 0 when the problem concerns the whole file. */
  line: number;
  column: number;
  message: string;
}

export function formatTemplateIssue(i: TemplateIssue): string {
  return i.line > 0 ? `${i.file}:${i.line}:${i.column}: ${i.message}` : `${i.file}: ${i.message}`;
}

/**
 * Templates failed validation: syntax, a missing partial, an unknown helper, a field the context
 * does not have, or an unknown fact id. Carries every issue found, not just the first.
 */
export class TemplateError extends InputError {
  readonly issues: readonly TemplateIssue[];
  constructor(issues: readonly TemplateIssue[]) {
    const n = issues.length;
    super(
      'MT_ERR_TEMPLATE_INVALID',
      `${n} problem${n === 1 ? '' : 's'} in the runbook templates:\n${issues.map(formatTemplateIssue).join('\n')}`,
    );
    this.name = 'TemplateError';
    this.issues = issues;
  }
}

/** No template with this id in any templates directory (the rule's `runbook:` names it). */
export class TemplateMissingError extends InputError {
  constructor(
    readonly templateId: string,
    dirs: readonly string[],
  ) {
    super('MT_ERR_TEMPLATE_MISSING', `no runbook template "${templateId}.hbs" in ${dirs.join(', ')}`);
    this.name = 'TemplateMissingError';
  }
}

/** A template passed validation but failed while rendering (strict mode: a value was missing). */
export class TemplateRenderError extends InputError {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('MT_ERR_TEMPLATE_RENDER', `${file}: ${message}`, options);
    this.name = 'TemplateRenderError';
  }
}
