/**
 * The one small interface every delivery channel implements (integrations/<channel>/index.ts),
 * after Alertmanager's `Notifier { Notify(ctx, alerts) (retry bool, err) }`: a channel renders
 * the channel-neutral Runbook into its own payload and makes exactly one attempt to send it.
 * Retries, backoff, dead-lettering and the outbox live only in engine/notify (docs/architecture.md, "Retries live in the outbox").
 */
import type { Runbook } from '../runbook/types.js';
import type { DeliveryKind, ThreadRef } from '../store/types.js';

export interface RenderInput {
  kind: DeliveryKind;
  incidentId: string;
  runbook: Runbook;
  /** ISO time of the resolve, for resolve kinds. */
  resolvedAt?: string;
  /** ISO time memtriage received the incident: its start when the alert carries no `startsAt`. */
  receivedAt?: string;
  /** How many times the alert was re-sent before resolving (shown in the resolve note). */
  repeats?: number;
}

export interface OutboundMessage {
  id: number;
  kind: DeliveryKind;
  incidentId: string;
  /** What `render` returned when the delivery was queued. */
  payload: unknown;
  /** Where the incident's first message went on this channel; absent for `open`. */
  thread?: ThreadRef;
}

export interface SendResult {
  /** For `open`: where follow-ups must thread (Slack channel+ts, email Message-ID). */
  thread?: ThreadRef;
}

export interface Channel {
  /** The channel's name in the config (`slack-oncall`), used in logs, metrics and the outbox. */
  readonly name: string;
  readonly type: string;
  /** Delivery steps after `open` for a new incident (e.g. Slack's `open-thread`), in order. */
  readonly openFollowUps?: readonly DeliveryKind[];
  /** Delivery steps of a resolve on this channel, in order. */
  readonly resolveKinds: readonly DeliveryKind[];
  /** The payload to queue for this step; `undefined` when the step has nothing to send (no row is queued). */
  render(input: RenderInput): unknown;
  /** One attempt. Throws NotifyError (or anything, classified as serverError) on failure. */
  send(msg: OutboundMessage, signal: AbortSignal): Promise<SendResult>;
  close?(): Promise<void>;
}
