import type { ChannelConfigOf } from '../../engine/config/types.js';
import slackPkg from '@slack/web-api';
import type { WebClient as WebClientType } from '@slack/web-api';
import { NotifyError } from '../../engine/notify/notify-error.js';
import type { Channel, OutboundMessage, RenderInput } from '../../engine/notify/types.js';
import { classifySlackError } from './classify-slack-error.js';
import { formatRunbookSlack } from './format.js';
import type { SlackMessage } from './format.js';
import { resolvedMessage, resolveReply } from './resolve-messages.js';

// @slack/web-api is CommonJS: named imports of runtime values fail under Node ESM (toolchain.md gotcha 7).
const { WebClient, LogLevel } = slackPkg;

export type SlackChannelConfig = ChannelConfigOf<'slack'>;

/** Payloads as queued: each is what one step posts. */
type SlackStep = SlackMessage | { messages: SlackMessage[] };

/**
 * Slack through the official client, configured to make exactly one attempt: no retries
 * (`retryConfig.retries = 0`) and 429s thrown at once (`rejectRateLimitedCalls`), so the outbox
 * owns backoff and Retry-After, durably. One thread per incident: `open` posts the short summary
 * and its `ts` is stored; the runbook (`open-thread`), the resolve reply and the final chat.update
 * of the summary all use it.
 * This file is the only importer of @slack/web-api (docs/architecture.md, "One importer per library").
 */
export function createSlackChannel(
  config: SlackChannelConfig,
  deps: { client?: WebClientType } = {},
): Channel {
  const client =
    deps.client ??
    new WebClient(config.token.reveal(), {
      ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: config.timeoutMs,
      allowAbsoluteUrls: false,
      logLevel: LogLevel.ERROR,
    });

  async function call<T>(method: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw classifySlackError(method, err);
    }
  }

  async function post(msg: SlackMessage, threadTs?: string, channel = config.channel) {
    return call('chat.postMessage', () =>
      client.chat.postMessage({
        channel,
        text: msg.text,
        blocks: msg.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
  }

  return {
    name: config.name,
    type: 'slack',
    openFollowUps: ['open-thread'],
    resolveKinds: ['resolve', 'resolve-update'],
    render(input: RenderInput): SlackStep | undefined {
      switch (input.kind) {
        case 'open': {
          const { thread: _continuations, ...first } = formatRunbookSlack(input.runbook);
          return first;
        }
        case 'open-thread': {
          const messages = formatRunbookSlack(input.runbook).thread;
          return messages.length > 0 ? { messages } : undefined;
        }
        case 'resolve':
          return resolveReply(input);
        case 'resolve-update':
          return resolvedMessage(input);
      }
    },
    async send(msg: OutboundMessage) {
      const channel = msg.thread?.channel ?? config.channel;
      const ts = msg.thread?.ts;
      switch (msg.kind) {
        case 'open': {
          const res = await post(msg.payload as SlackMessage);
          if (!res.ts) throw new NotifyError('serverError', 'slack chat.postMessage: reply had no ts');
          return { thread: { channel: res.channel ?? config.channel, ts: res.ts } };
        }
        case 'open-thread':
          for (const m of (msg.payload as { messages: SlackMessage[] }).messages) await post(m, ts, channel);
          return {};
        case 'resolve':
          await post(msg.payload as SlackMessage, ts, channel);
          return {};
        case 'resolve-update': {
          // Without the first message (it never went out) there is nothing to mark resolved.
          if (!ts) return {};
          const m = msg.payload as SlackMessage;
          await call('chat.update', () =>
            client.chat.update({ channel, ts, text: m.text, blocks: m.blocks }),
          );
          return {};
        }
      }
    },
  };
}
