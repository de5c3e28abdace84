import type { ServerConfig } from './types.js';

export const DEFAULT_PORT = 9767;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * What `memtriage serve` runs with no config: loopback only, no auth (nobody else can reach it),
 * SQLite under ./memtriage-data, every runbook printed to stdout.
 */
export function defaultConfig(): ServerConfig {
  return {
    server: {
      host: '127.0.0.1',
      port: DEFAULT_PORT,
      bodyLimitBytes: DEFAULT_BODY_LIMIT,
      dataDir: 'memtriage-data',
      allowedHosts: [],
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      maxUnauthenticatedBodies: 32,
    },
    store: { poolSize: 10 },
    auth: { bearerTokens: [], basic: [] },
    rules: { dirs: [], templates: [], noDefaults: false },
    targets: [],
    channels: { stdout: { type: 'stdout', name: 'stdout' } },
    routes: [],
    defaultChannels: ['stdout'],
    outbox: {
      // Give up by time, not by count: 1 s doubling to a 1 min cap, for an hour after the first
      // failure (about 85 attempts). The count is a secondary bound well above that.
      maxAttempts: 200,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      retryForMs: 60 * 60_000,
      drainMs: 10_000,
      concurrency: 4,
      leaseMs: 60_000,
      pollMs: 500,
    },
    // Acquisition lasts a target's duration (10 s by default) plus its timeouts: two minutes leaves
    // a wide margin, and is the longest a dead replica's half-done incident waits.
    pipeline: { concurrency: 4, takeOverAfterMs: 120_000 },
    retention: { maxAgeMs: 30 * 86_400_000, maxBytes: 1024 ** 3, intervalMs: 10 * 60_000 },
  };
}
