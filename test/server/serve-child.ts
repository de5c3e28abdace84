/**
 * A `memtriage serve` in a child process for the kill -9 test: prints `READY <url>` once
 * listening. No graceful shutdown on purpose; the test SIGKILLs it.
 */
import { startServer } from '../../engine/server/start-server.js';

const [config, port] = process.argv.slice(2);
const server = await startServer({ config: config!, port: Number(port ?? 0), logger: false, env: {} });
process.stdout.write(`READY ${server.url}\n`);
