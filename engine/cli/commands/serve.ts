import { startServer } from '../../server/start-server.js';
import type { CliIo } from '../io.js';

export interface ServeCliOptions {
  config?: string;
  port?: string;
  dataDir?: string;
  store?: string;
}

/**
 * `memtriage serve`: runs until SIGTERM/SIGINT, then stops accepting, lets running pipelines
 * finish and closes the store. SIGHUP reloads the rules (a bad ruleset is refused, the old one stays).
 */
export async function serveCommand(opts: ServeCliOptions, io: CliIo): Promise<number> {
  const port = opts.port === undefined ? undefined : Number(opts.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    io.err(`memtriage: --port must be a TCP port (0–65535), not "${opts.port}"\n`);
    return 2;
  }
  const server = await startServer({
    ...(opts.config !== undefined ? { config: opts.config } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
    ...(opts.store !== undefined ? { store: opts.store } : {}),
    env: Object.fromEntries(
      Object.entries(io.env ?? {}).filter((e): e is [string, string] => e[1] !== undefined),
    ),
  });
  const stop = io.interrupts?.().stopped ?? new Promise<string>(() => undefined);
  const where = server.config.store.url ? 'PostgreSQL store' : `data in ${server.config.server.dataDir}`;
  io.err(`memtriage: serving on ${server.url} (${where})\n`);
  io.onReload?.(() => {
    server
      .reload()
      .then((r) =>
        io.err(
          r.ok
            ? `memtriage: reloaded ${r.rules} rules\n`
            : `memtriage: reload refused, keeping the running rules: ${r.error.message}\n`,
        ),
      )
      .catch((err: unknown) => io.err(`memtriage: reload failed: ${(err as Error).message}\n`));
  });
  const signal = await stop;
  io.err(`memtriage: ${signal}: finishing running pipelines and closing\n`);
  await server.close();
  return 0;
}
