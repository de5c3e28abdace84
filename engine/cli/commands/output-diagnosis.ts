import { formatExplanation } from '../../diagnose/format-diagnosis.js';
import type { Diagnosis } from '../../diagnose/types.js';
import { InputError } from '../../errors.js';
import { formatRunbookHtmlDocument } from '../../runbook/format/format-html.js';
import { formatRunbookMarkdown } from '../../runbook/format/format-markdown.js';
import { formatRunbookText } from '../../runbook/format/format-text.js';
import { renderRunbook } from '../../runbook/index.js';

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
 * formatted for a channel (Slack Block Kit and the email's parts as JSON, the rest as text). The
 * Slack and email formats are integrations': they come through the composition root, imported only
 * for them, so text, markdown and html load neither @slack/web-api nor nodemailer.
 */
/**
 * What `diagnose --out FILE` writes: the printed output, except for `--format email`, which writes
 * the runbook as a real .eml (MIME multipart, HTML and text, the charts inline by cid:; From
 * `mailFrom` or memtriage's own, To `mailTo` when given).
 */
export async function diagnosisFile(
  d: Diagnosis,
  format: OutputFormat,
  opts: { templatesDirs?: string[]; mailFrom?: string; mailTo?: readonly string[] } = {},
): Promise<string | Buffer> {
  const templates = opts.templatesDirs ? { templatesDirs: opts.templatesDirs } : {};
  if (format !== 'email') return outputDiagnosis(d, format, templates);
  const rb = renderRunbook(d, templates);
  return (await import('../../integrations.js')).composeEml(rb, {
    ...(opts.mailFrom !== undefined ? { from: opts.mailFrom } : {}),
    ...(opts.mailTo !== undefined ? { to: opts.mailTo } : {}),
  });
}

export async function outputDiagnosis(
  d: Diagnosis,
  format: OutputFormat,
  opts: { color?: boolean; templatesDirs?: string[] } = {},
): Promise<string> {
  if (format === 'json') return `${JSON.stringify(d, null, 2)}\n`;
  const rb = renderRunbook(d, opts.templatesDirs ? { templatesDirs: opts.templatesDirs } : {});
  let out: string;
  switch (format) {
    case 'text':
      out = formatRunbookText(rb, { color: opts.color === true });
      break;
    case 'markdown':
      out = formatRunbookMarkdown(rb);
      break;
    case 'html':
      out = formatRunbookHtmlDocument(rb);
      break;
    case 'slack':
      out = JSON.stringify((await import('../../integrations.js')).formatRunbook(rb, 'slack'), null, 2);
      break;
    case 'email': {
      const mail = (await import('../../integrations.js')).formatRunbook(rb, 'email');
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
