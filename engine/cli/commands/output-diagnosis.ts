import { formatExplanation } from '../../diagnose/format-diagnosis.js';
import type { Diagnosis } from '../../diagnose/types.js';
import { InputError } from '../../errors.js';
import { renderRunbook } from '../../runbook/index.js';
import { formatRunbook } from '../../../integrations/format-runbook.js';

export const OUTPUT_FORMATS = ['text', 'markdown', 'json', 'slack', 'email', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function checkFormat(
  flag: string,
  value: string,
  allowed: readonly string[] = OUTPUT_FORMATS,
): OutputFormat {
  if (!allowed.includes(value)) {
    throw new InputError('MT_ERR_CLI_USAGE', `${flag} must be one of ${allowed.join(', ')}, not "${value}"`);
  }
  return value as OutputFormat;
}

/**
 * A diagnosis as the user asked for it: the Diagnosis JSON itself, or its runbook rendered once and
 * formatted for a channel (Slack Block Kit and the email's parts as JSON, the rest as text).
 */
export function outputDiagnosis(
  d: Diagnosis,
  format: OutputFormat,
  opts: { color?: boolean; templatesDirs?: string[] } = {},
): string {
  if (format === 'json') return `${JSON.stringify(d, null, 2)}\n`;
  const rb = renderRunbook(d, opts.templatesDirs ? { templatesDirs: opts.templatesDirs } : {});
  let out: string;
  switch (format) {
    case 'text':
      out = formatRunbook(rb, 'text', { color: opts.color === true });
      break;
    case 'markdown':
      out = formatRunbook(rb, 'markdown');
      break;
    case 'html':
      out = formatRunbook(rb, 'html');
      break;
    case 'slack':
      out = JSON.stringify(formatRunbook(rb, 'slack'), null, 2);
      break;
    case 'email': {
      const mail = formatRunbook(rb, 'email');
      // Attachments (the chart PNGs) are summarised: a terminal is no place for base64.
      const attachments = mail.attachments.map((a) => ({
        filename: a.filename,
        cid: a.cid,
        contentType: a.contentType,
        bytes: a.content.length,
      }));
      out = JSON.stringify({ ...mail, attachments }, null, 2);
      break;
    }
    default: {
      const never: never = format;
      throw new Error(`unhandled format ${String(never)}`);
    }
  }
  if (d.explain && (format === 'text' || format === 'markdown')) {
    const md = format === 'markdown';
    const explained = d.explain.flatMap((r) => [...formatExplanation(r, md), '']);
    out = `${out.trimEnd()}\n\n${md ? '## Explain: every rule' : 'EXPLAIN: EVERY RULE'}\n\n${explained.join('\n')}`;
  }
  return out.endsWith('\n') ? out : `${out}\n`;
}
