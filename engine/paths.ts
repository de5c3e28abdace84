import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's root: the embedded default rules and templates (rules/, templates/) and
 * package.json live there. It is the nearest directory above this module that holds a package.json:
 * `<root>/engine/` when the TypeScript sources run (tests, tsx), `<root>/dist/engine/` when the built
 * JavaScript runs (bin/memtriage.js). Every file read relative to the code goes through here, so
 * both layouts resolve the same files.
 */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const DEFAULT_RULES_DIR = join(PACKAGE_ROOT, 'rules');
export const DEFAULT_TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');

function findPackageRoot(moduleDir: string): string {
  for (let dir = dirname(moduleDir); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`memtriage: no package.json above ${moduleDir}`);
  }
}
