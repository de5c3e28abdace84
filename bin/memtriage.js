#!/usr/bin/env node
// Runs the CLI compiled to dist/ (`npm run build`; `npm ci` builds it through `prepare`).
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node ≥ 22.1 keeps compiled code on disk between runs; Node 20 has no such API.
module.enableCompileCache?.();

const entry = new URL('../dist/engine/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('memtriage: dist/ is not built; run `npm run build` (npm ci runs it)');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
