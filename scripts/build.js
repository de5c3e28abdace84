#!/usr/bin/env node
/**
 * Compiles engine/ and integrations/ to dist/ with tsc (tsconfig.build.json), so bin/memtriage.js runs
 * plain JavaScript: `npm run build`, and `npm ci` / `npm install` run it through `prepare`.
 * dist/ keeps the source tree (dist/engine/…, dist/integrations/…); engine/paths.ts finds the package
 * root from either layout.
 *
 * tsc is a dev dependency. Under `npm ci --omit=dev` it is absent: an existing dist/ is kept (build
 * with dev dependencies, then `npm prune --omit=dev`); with no dist/ the install fails here, saying so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (existsSync(join(dist, 'engine/cli/main.js'))) {
    console.error('memtriage build: typescript is not installed (--omit=dev); keeping the existing dist/');
    process.exit(0);
  }
  console.error(
    'memtriage build: typescript is not installed (--omit=dev?) and dist/ is not built.\n' +
      'Install with the dev dependencies and prune them afterwards: npm ci && npm prune --omit=dev',
  );
  process.exit(1);
}

rmSync(dist, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

// The default rules, validated once here and stored for `diagnose` (engine/rules/rule-set-cache.ts).
// A rule set that does not load is not an error of the build: the CLI reports it, with positions.
const { loadRuleSet } = await import(join(dist, 'engine/rules/load-rule-set.js'));
const { templatesIn } = await import(join(dist, 'engine/rules/templates-in.js'));
const { writeRuleSetCache } = await import(join(dist, 'engine/rules/rule-set-cache.js'));
const rulesDir = join(root, 'rules');
try {
  const set = await loadRuleSet({ dirs: [rulesDir], templateExists: templatesIn([join(root, 'templates')]) });
  writeRuleSetCache(join(dist, 'default-rules.json'), rulesDir, set);
} catch (err) {
  console.error(`memtriage build: default rules not cached (${err.message.split('\n')[0]})`);
}

// The shipped templates, validated and precompiled once here for every render whose templates are
// these (engine/runbook/templates/shipped-templates.ts). Templates with problems are not an error of
// the build either: a render validates them from source and reports them, with positions.
const { writeShippedTemplates } = await import(join(dist, 'engine/runbook/templates/shipped-templates.js'));
try {
  const issues = writeShippedTemplates(join(dist, 'default-templates.cjs'), join(root, 'templates'));
  if (issues.length > 0)
    console.error(`memtriage build: templates not precompiled (${issues.length} problems)`);
} catch (err) {
  console.error(`memtriage build: templates not precompiled (${err.message.split('\n')[0]})`);
}
