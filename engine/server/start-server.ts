import pino from 'pino';
import type { Logger } from 'pino';
import { redactUserinfo } from '../collect/redact-url.js';
import { createAlertAcquirer } from '../collect/acquire-for-alert.js';
import { defaultConfig } from '../config/default-config.js';
import { loadConfig } from '../config/load-config.js';
import type { Env } from '../config/load-config.js';
import type { ServerConfig } from '../config/types.js';
import { loadCompiledRules } from '../diagnose/load-rules.js';
import { createOutboxWorker } from '../notify/outbox-worker.js';
import type { CompiledRuleSet } from '../rules/types.js';
import { isStorageError } from '../store/storage-error.js';
import { openStore } from '../store/open-store.js';
import { parseStoreUrl } from '../config/store-url.js';
import { buildServer } from './build-server.js';
import { createChannels } from '../integrations.js';
import { runRetention } from './retention.js';
import { createStorageHealth } from './storage-health.js';
import { createMetrics } from './metrics.js';
import { createPipeline } from './pipeline/run-pipeline.js';

export interface StartServerOptions {
  /** YAML config file; without one the embedded defaults apply. */
  config?: string;
  port?: number;
  host?: string;
  dataDir?: string;
  /** `--store URL`: a PostgreSQL shared by several replicas (overrides the config's store.url). */
  store?: string;
  /** Environment for `${NAME}` references; the CLI passes process.env. */
  env?: Env;
  /** A pino logger; default JSON lines on stderr at `info`. `false` for none. */
  logger?: Logger | false;
  /** How often a write is tried after the disk failed one (default 5 s; tests go faster). */
  storageProbeMs?: number;
}

export interface RunningServer {
  /** `http://host:port` actually bound (port 0 → the chosen one). */
  url: string;
  config: ServerConfig;
  /** SIGHUP: reload rules; a bad ruleset is refused whole and the running one stays. Templates are read per incident. */
  reload(): Promise<{ ok: true; rules: number } | { ok: false; error: Error }>;
  /**
   * Stops accepting, lets running pipelines finish, gives in-flight and due deliveries up to
   * `outbox.drain` to go out, closes the store. What is left stays pending for the next start.
   */
  close(): Promise<void>;
}

/**
 * `memtriage serve`: config → store → rules → channels → pipeline + outbox worker → HTTP.
 * Incidents a previous process left half-way are resumed, and deliveries it left in flight are
 * sent again (see docs/config.md "Delivery guarantee").
 */
export async function startServer(opts: StartServerOptions = {}): Promise<RunningServer> {
  const config = opts.config ? await loadConfig(opts.config, opts.env ?? {}) : defaultConfig();
  if (opts.port !== undefined) config.server.port = opts.port;
  if (opts.host !== undefined) config.server.host = opts.host;
  if (opts.dataDir !== undefined) config.server.dataDir = opts.dataDir;
  if (opts.store !== undefined) config.store.url = parseStoreUrl(opts.store);
  const logger: Logger | undefined =
    opts.logger === false
      ? undefined
      : (opts.logger ??
        pino(
          {
            name: 'memtriage',
            level: 'info',
            redact: ['req.headers.authorization', '*.token', '*.password', '*.secret'],
            // Whatever a line holds (an error message, a URL), no URL's userinfo reaches the log.
            hooks: { streamWrite: redactUserinfo },
          },
          pino.destination(2),
        ));
  const log = logger ?? { info: () => undefined, warn: () => undefined, error: () => undefined };

  const ruleOpts = {
    rules: config.rules.dirs,
    templates: config.rules.templates,
    noDefaultRules: config.rules.noDefaults,
  };
  let rules: CompiledRuleSet = await loadCompiledRules(ruleOpts);
  const store = await openStore({
    dataDir: config.server.dataDir,
    ...(config.store.url ? { url: config.store.url.reveal() } : {}),
    pg: {
      poolSize: config.store.poolSize,
      onIdleError: (err) =>
        log.warn({ error: err.message }, 'a pooled store connection failed; it is replaced'),
    },
  });
  const metrics = createMetrics({ defaultMetrics: true });
  const channels = createChannels(config.channels);
  const worker = createOutboxWorker({ store, channels, config: config.outbox, metrics, log });
  const acquire = createAlertAcquirer({
    targets: config.targets,
    log,
    observe: (target, outcome, s) => metrics.acquisitionSeconds.observe({ target, outcome }, s),
  });
  const retention = async () => {
    try {
      await runRetention({
        store,
        config,
        now: Date.now(),
        log,
        onDeleted: (what, n) => metrics.retentionDeleted.inc({ what }, n),
      });
    } catch (err) {
      log.error({ error: (err as Error).message }, 'retention pass failed');
      if (isStorageError(err)) health.failed(err);
    }
  };
  const pipeline = createPipeline({
    store,
    config,
    rules: () => rules,
    channels,
    metrics,
    log,
    acquire: async (_incident, labels, dir, signal) => void (await acquire(labels, dir, signal)),
    onQueued: () => worker.kick(),
    onStorageError: (err) => health.failed(err),
  });
  // A shared store's other replicas may be working on its unfinished incidents: take over only the
  // ones set aside here and those left untouched long enough to be orphans.
  const resume = (why: string) => {
    pipeline
      .recover(store.sharedBundles ? { untouchedFor: config.pipeline.takeOverAfterMs } : undefined)
      .then((n) => {
        if (n > 0) log.info({ incidents: n }, why);
      })
      .catch((err: unknown) => {
        log.error({ error: (err as Error).message }, 'resuming unfinished incidents failed');
        if (isStorageError(err)) health.failed(err);
      });
    worker.kick();
  };
  const health = createStorageHealth({
    probe: () => store.probeWrite(Date.now()),
    onRecovered: () => {
      metrics.storageReady.set(1);
      resume('resumed incidents left by the storage outage');
    },
    onFailed: () => {
      metrics.storageReady.set(0);
      retention().catch(() => undefined);
    },
    log,
    intervalMs: opts.storageProbeMs ?? 5000,
  });
  metrics.storageReady.set(1);
  let released = 0;
  try {
    released = await store.releaseInFlight();
  } catch (err) {
    if (!isStorageError(err)) throw err;
    health.failed(err);
  }
  let closing = false;
  const app = buildServer({
    config,
    store,
    metrics,
    logger: logger ?? false,
    onAccepted: (incident, outcome) => {
      pipeline.accepted(incident, outcome)?.catch((err: unknown) => {
        log.error({ incident: incident.id, error: (err as Error).message }, 'pipeline failed');
      });
    },
    onStorageError: (err) => health.failed(err),
    ready: () => (closing ? { ok: false, reason: 'shutting down' } : health.status()),
    web: { rules: () => rules.ruleSet.rules, templatesDirs: config.rules.templates, targets: config.targets },
  });
  const url = await app.listen({ port: config.server.port, host: config.server.host });
  worker.start();
  if (released > 0)
    log.info({ deliveries: released }, 'resumed deliveries left in flight by a previous process');
  resume('resumed work left by a previous process');
  // The first pass soon after start (not before listening: it walks the bundles), then every interval.
  const firstRetention = setTimeout(() => {
    retention().catch(() => undefined);
  }, 1000);
  firstRetention.unref();
  const retentionTimer = setInterval(() => {
    retention().catch(() => undefined);
  }, config.retention.intervalMs);
  retentionTimer.unref();
  // A shared store: an incident whose replica died half-way is taken over once no step has touched it
  // for pipeline.takeOverAfter (a live replica updates its incident at every stage, within seconds).
  const sweepTimer = store.sharedBundles
    ? setInterval(
        () => resume('took over incidents another replica left half-way'),
        config.pipeline.takeOverAfterMs / 2,
      )
    : undefined;
  sweepTimer?.unref();
  log.info(
    {
      url,
      dataDir: config.server.dataDir,
      channels: [...channels.keys()],
      rules: rules.ruleSet.rules.length,
    },
    'memtriage serving',
  );

  return {
    url,
    config,
    async reload() {
      try {
        rules = await loadCompiledRules(ruleOpts);
        log.info({ rules: rules.ruleSet.rules.length }, 'rules reloaded');
        return { ok: true, rules: rules.ruleSet.rules.length };
      } catch (err) {
        log.error({ error: (err as Error).message }, 'rules reload refused; the running rules stay');
        return { ok: false, error: err as Error };
      }
    },
    async close() {
      closing = true;
      clearTimeout(firstRetention);
      clearInterval(retentionTimer);
      clearInterval(sweepTimer);
      health.stop();
      await app.close();
      await pipeline.stop();
      const left = await worker.stop({ drainMs: config.outbox.drainMs });
      if (left > 0) log.info({ deliveries: left }, 'deliveries left pending for the next start');
      for (const c of channels.values()) await c.close?.();
      await store.close();
    },
  };
}
