import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../../engine/server/build-server.js';
import { createMetrics } from '../../engine/server/metrics.js';
import { defaultConfig } from '../../engine/config/default-config.js';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import type { ServerConfig } from '../../engine/config/types.js';
import type { IncidentRecord, RecordOutcome } from '../../engine/store/types.js';

/** The Alertmanager 0.25 body captured on this machine (shared/reference/alertmanager-webhook-sample.json). */
export const AM_SAMPLE = JSON.parse(
  readFileSync(new URL('../fixtures/server/alertmanager-webhook-sample.json', import.meta.url), 'utf8'),
) as Record<string, unknown> & { alerts: Record<string, unknown>[] };

export function amPayload(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...structuredClone(AM_SAMPLE), ...patch };
}

export function makeServer(configure: (c: ServerConfig) => void = () => undefined, now?: () => number) {
  const dir = mkdtempSync(join(tmpdir(), 'mt-server-'));
  const config = defaultConfig();
  config.server.dataDir = dir;
  configure(config);
  const store = openSqliteStore(dir);
  const metrics = createMetrics();
  const accepted: { incident: IncidentRecord; outcome: RecordOutcome }[] = [];
  const app = buildServer({
    config,
    store,
    metrics,
    logger: false,
    ...(now ? { now } : {}),
    onAccepted: (incident, outcome) => accepted.push({ incident, outcome }),
  });
  return {
    app,
    store,
    metrics,
    accepted,
    dir,
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
