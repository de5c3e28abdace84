import { cleanText } from '../../engine/runbook/render/literal.js';
import { assertNever, type Rich, type Span } from '../../engine/runbook/types.js';

/**
 * Slack mrkdwn for runbook text. Slack has no escape for its formatting characters, only for
 * `&`, `<` and `>` (formats.md §8.1), so literal text neutralises the rest with look-alikes:
 * `*` → `∗`, `~` → `∼`, a backtick → `ˋ`, and an `_` at a word boundary → `ˍ` (an `_` inside a
 * word, as in `memory.limit_in_bytes`, cannot start italics and is kept). Every span of a runbook
 * is literal, so an alert label `*bold*` or `<!channel>` can never format or notify.
 */
export function slackEscape(s: string): string {
  return cleanText(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function slackLiteral(s: string): string {
  return slackEscape(s)
    .replace(/\*/g, '∗')
    .replace(/~/g, '∼')
    .replace(/`/g, 'ˋ')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, 'ˍ');
}

/** Inside backticks only the three entities matter; a backtick in the content would end the span. */
export function slackCode(s: string): string {
  const t = slackEscape(s).replace(/`/g, 'ˋ').replace(/\s+/g, ' ').trim();
  return t === '' ? '' : `\`${t}\``;
}

export function slackCodeBlock(code: string): string {
  return `\`\`\`\n${slackEscape(code).replace(/```/g, 'ˋˋˋ')}\n\`\`\``;
}

export function slackLink(url: string, label: string): string {
  if (!/^https?:\/\//i.test(url)) return slackLiteral(label);
  return `<${slackEscape(url).replace(/\|/g, '%7C')}|${slackLiteral(label).replace(/\|/g, '¦')}>`;
}

function span(s: Span): string {
  switch (s.kind) {
    case 'text':
      return slackLiteral(s.text);
    case 'strong': {
      // Slack only bolds when the asterisks touch non-space characters.
      const t = slackLiteral(s.text.trim());
      return t === '' ? '' : `*${t}*`;
    }
    case 'code':
      return slackCode(s.text);
    case 'link':
      return slackLink(s.url, s.text);
    default:
      return assertNever(s, 'span');
  }
}

export function slackRich(r: Rich): string {
  return r.map(span).join('');
}
