import { formatRunbookHtml } from '../engine/runbook/format/format-html.js';
import { formatRunbookMarkdown } from '../engine/runbook/format/format-markdown.js';
import { formatRunbookText, type TextFormatOptions } from '../engine/runbook/format/format-text.js';
import type { Runbook, RunbookChannel } from '../engine/runbook/types.js';
import { formatRunbookEmail, type EmailPayload } from './email/format.js';
import { formatRunbookSlack, type SlackPayload } from './slack/format.js';

/** What each channel's formatter returns. */
export interface ChannelPayload {
  text: string;
  markdown: string;
  html: string;
  slack: SlackPayload;
  email: EmailPayload;
}

export type FormatRunbookOptions = TextFormatOptions;

/**
 * One Runbook, formatted for a channel (docs/architecture.md, "Runbooks and channels": render once, format at the edge). Lives
 * in integrations/ because the Slack and email formats do; engine/ reaches it only through its
 * composition root, engine/integrations.ts.
 */
export function formatRunbook<C extends RunbookChannel>(
  rb: Runbook,
  channel: C,
  opts: FormatRunbookOptions = {},
): ChannelPayload[C] {
  const out: { [K in RunbookChannel]: () => ChannelPayload[K] } = {
    text: () => formatRunbookText(rb, opts),
    markdown: () => formatRunbookMarkdown(rb),
    html: () => formatRunbookHtml(rb),
    slack: () => formatRunbookSlack(rb),
    email: () => formatRunbookEmail(rb),
  };
  return out[channel]();
}
