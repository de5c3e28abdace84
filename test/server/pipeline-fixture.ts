import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../engine/config/default-config.js';
import type { ServerConfig } from '../../engine/config/types.js';
import { loadCompiledRules } from '../../engine/diagnose/load-rules.js';
import { NotifyError } from '../../engine/notify/notify-error.js';
import type { NotifyReason } from '../../engine/notify/notify-error.js';
import { createOutboxWorker } from '../../engine/notify/outbox-worker.js';
import type { Channel, OutboundMessage, RenderInput } from '../../engine/notify/types.js';
import { createMetrics } from '../../engine/server/metrics.js';
import { createPipeline } from '../../engine/server/pipeline/run-pipeline.js';
import type { AcquireForIncident } from '../../engine/server/pipeline/run-pipeline.js';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import type { CompiledRuleSet } from '../../engine/rules/types.js';

let rulesPromise: Promise<CompiledRuleSet> | undefined;
export const defaultRules = () => (rulesPromise ??= loadCompiledRules());

/** A channel that records what it was asked to send and fails on demand. */
export function recordingChannel(name = 'rec', resolveKinds: Channel['resolveKinds'] = ['resolve']) {
  const sent: OutboundMessage[] = [];
  const failures: { reason: NotifyReason; retryAfterMs?: number }[] = [];
  let seq = 0;
  const channel: Channel = {
    name,
    type: 'recording',
    resolveKinds,
    render: (i: RenderInput) => ({ kind: i.kind, title: i.runbook.title, top: i.runbook.causes[0]?.ruleId }),
    async send(msg) {
      const f = failures.shift();
      if (f) throw new NotifyError(f.reason, `injected ${f.reason}`, f.retryAfterMs);
      sent.push(msg);
      return msg.kind === 'open' ? { thread: { ts: `${++seq}.0001` } } : {};
    },
  };
  return { channel, sent, failures };
}

/** Acquisition stand-in: copies a captured bundle into the incident's directory. */
export const copyBundle =
  (name: string): AcquireForIncident =>
  async (_i, _l, dir) => {
    cpSync(join('examples/incidents', name), dir, { recursive: true });
  };

export async function makePipeline(opts: {
  channels: Channel[];
  acquire?: AcquireForIncident;
  configure?: (c: ServerConfig) => void;
  dir?: string;
  now?: () => number;
  /** Replaces the default rules (e.g. a function that throws). */
  rules?: () => CompiledRuleSet;
}) {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'mt-pipe-'));
  const config = defaultConfig();
  config.server.dataDir = dir;
  config.defaultChannels = opts.channels.map((c) => c.name);
  config.outbox.baseDelayMs = 10;
  config.outbox.maxDelayMs = 100;
  opts.configure?.(config);
  const store = openSqliteStore(dir);
  const metrics = createMetrics();
  const rules = await defaultRules();
  const channels = new Map(opts.channels.map((c) => [c.name, c]));
  const worker = createOutboxWorker({
    store,
    channels,
    config: config.outbox,
    metrics,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const pipeline = createPipeline({
    store,
    config,
    rules: opts.rules ?? (() => rules),
    channels,
    metrics,
    ...(opts.acquire ? { acquire: opts.acquire } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return {
    dir,
    config,
    store,
    metrics,
    worker,
    pipeline,
    async close(keep = false) {
      await pipeline.stop();
      await worker.stop();
      await store.close();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}
