import type { ChannelConfigOf } from '../../engine/config/types.js';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { resolveNote } from '../../engine/notify/runbook-text.js';
import type { Channel, OutboundMessage, RenderInput } from '../../engine/notify/types.js';
import { classifySmtpError } from './classify-smtp-error.js';
import { escapeHtml } from '../../engine/runbook/index.js';
import { formatRunbookEmail } from './format.js';
import type { Runbook } from '../../engine/runbook/types.js';
import { runbookLinks } from '../../engine/runbook/links/incident-links.js';

export type EmailChannelConfig = ChannelConfigOf<'email'>;

/** What is queued: JSON-safe (attachments base64), so a retry sends the same bytes. */
interface QueuedMail {
  subject: string;
  html: string;
  text: string;
  attachments?: { filename: string; content: string; encoding: 'base64'; contentType: string; cid: string }[];
}

/** Deterministic per incident: a duplicate send (crash between send and record) threads and dedups in clients. */
export function incidentMessageId(incidentId: string): string {
  return `<incident-${incidentId.replace(/[^A-Za-z0-9.-]/g, '')}@memtriage>`;
}

/**
 * Email through nodemailer, one attempt per send: the runbook as multipart HTML + text, and the
 * resolve as a follow-up in the same thread (`In-Reply-To`/`References` the first mail's
 * Message-ID, subject `Re: ` + the first mail's subject) saying how long the incident lasted. The only importer of nodemailer (docs/architecture.md, "One importer per library").
 */
export function createEmailChannel(
  config: EmailChannelConfig,
  deps: { transport?: Transporter } = {},
): Channel {
  const transport =
    deps.transport ??
    nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      ignoreTLS: config.ignoreTLS,
      ...(config.user ? { auth: { user: config.user, pass: config.password?.reveal() ?? '' } } : {}),
      connectionTimeout: config.timeoutMs,
      greetingTimeout: config.timeoutMs,
      socketTimeout: config.timeoutMs,
      pool: false,
    });

  return {
    name: config.name,
    type: 'email',
    resolveKinds: ['resolve'],
    render(input: RenderInput): QueuedMail {
      const first = formatRunbookEmail(input.runbook);
      if (input.kind === 'open') {
        return {
          subject: first.subject,
          html: first.html,
          text: first.text,
          attachments: first.attachments.map((a) => ({
            filename: a.filename,
            content: a.content.toString('base64'),
            encoding: 'base64',
            contentType: a.contentType,
            cid: a.cid,
          })),
        };
      }
      const note = resolveNote(input);
      const links = runbookLinks(input.runbook).filter(([label]) => label === 'Incident page');
      return {
        // The first mail's subject, unchanged: clients that thread by subject keep the two together.
        subject: `Re: ${first.subject}`,
        html: `<!DOCTYPE html><html><body><p style="font-family:Arial,sans-serif">${escapeHtml(note)}</p>${links
          .map(
            ([label, url]) =>
              `<p style="font-family:Arial,sans-serif"><a href="${escapeHtml(url)}" style="color:#1c7ed6">${escapeHtml(label)}</a></p>`,
          )
          .join('')}</body></html>`,
        text: [note, ...links.map(([label, url]) => `${label}: ${url}`)].join('\n\n'),
      };
    },
    async send(msg: OutboundMessage) {
      const mail = msg.payload as QueuedMail;
      const own = incidentMessageId(msg.incidentId);
      const parent = msg.thread?.messageId ?? own;
      try {
        const info = (await transport.sendMail({
          from: config.from,
          to: config.to,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          ...(mail.attachments ? { attachments: mail.attachments } : {}),
          ...(msg.kind === 'open' ? { messageId: own } : { inReplyTo: parent, references: [parent] }),
        })) as { messageId?: string };
        return msg.kind === 'open' ? { thread: { messageId: info.messageId ?? own } } : {};
      } catch (err) {
        throw classifySmtpError(err, { host: config.host, port: config.port });
      }
    },
    async close() {
      transport.close();
    },
  };
}

/** The From of a composed .eml when the caller names none (RFC 5322 requires one). */
export const EML_DEFAULT_FROM = 'memtriage <memtriage@localhost>';

/**
 * The runbook as one RFC 5322 message (`diagnose --format email --out FILE`): the same subject,
 * HTML, text and inline chart images (cid:) the email channel sends, with the incident's
 * Message-ID, built by nodemailer's stream transport (nothing is sent). From is `opts.from`, else
 * {@link EML_DEFAULT_FROM}; To is `opts.to` when given (a draft to forward has none).
 */
export async function composeEml(
  rb: Runbook,
  opts: { from?: string; to?: readonly string[] } = {},
): Promise<Buffer> {
  const mail = formatRunbookEmail(rb);
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await transport.sendMail({
    from: opts.from ?? EML_DEFAULT_FROM,
    ...(opts.to && opts.to.length > 0 ? { to: [...opts.to] } : {}),
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    messageId: incidentMessageId(rb.incidentId),
    attachments: mail.attachments.map((a) => ({
      filename: a.filename,
      content: a.content,
      cid: a.cid,
      contentType: a.contentType,
    })),
  });
  return info.message as Buffer;
}
