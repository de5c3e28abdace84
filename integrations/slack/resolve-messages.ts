import { resolveNote } from '../../engine/notify/runbook-text.js';
import type { RenderInput } from '../../engine/notify/types.js';
import { formatRunbookSlack, incidentPageLink } from './format.js';
import type { SlackMessage } from './format.js';
import { slackLiteral } from './mrkdwn.js';

/** The thread reply posted when the alert resolves. */
export function resolveReply(input: RenderInput): SlackMessage {
  const note = resolveNote(input);
  const link = incidentPageLink(input.runbook);
  return {
    text: slackLiteral(note),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:white_check_mark: ${slackLiteral(note)}${link !== undefined ? ` ${link}` : ''}`,
        },
      },
    ],
  };
}

/**
 * The first message rewritten by chat.update: the same runbook, with a context line on top
 * saying it is resolved, so the channel shows the state without opening the thread.
 */
export function resolvedMessage(input: RenderInput): SlackMessage {
  const first = formatRunbookSlack({ ...input.runbook, status: 'resolved' });
  const when = input.resolvedAt ?? 'now';
  const banner = {
    type: 'context' as const,
    elements: [{ type: 'mrkdwn' as const, text: `:white_check_mark: *Resolved* at ${slackLiteral(when)}` }],
  };
  return { text: `[RESOLVED] ${first.text}`, blocks: [banner, ...first.blocks].slice(0, 50) };
}
