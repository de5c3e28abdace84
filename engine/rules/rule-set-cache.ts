import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { Rule, RuleSet } from './types.js';

/**
 * The shipped rule set, validated at build time and stored as JSON beside the compiled code, so a
 * plain `memtriage diagnose` does not load the YAML parser and the schema library (≈ 200 ms of a
 * 700 ms run) to check files that have not changed since. The cache is used only when its
 * fingerprint — every rule folder's name, rule.yaml and README presence — matches the files on
 * disk; an edited or added rule makes it stale and the rules load from YAML as before.
 */
const VERSION = 1;

interface CacheFile {
  version: number;
  fingerprint: string;
  /** Rules with `dir`, `file` and `readme` relative to the rules directory. */
  rules: Rule[];
}

export function rulesFingerprint(rulesDir: string): string | undefined {
  if (!existsSync(rulesDir)) return undefined;
  const hash = createHash('sha256');
  const folders = readdirSync(rulesDir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort();
  for (const name of folders) {
    const file = join(rulesDir, name, 'rule.yaml');
    hash.update(`${name}\0${existsSync(join(rulesDir, name, 'README.md')) ? 'readme' : ''}\0`);
    hash.update(existsSync(file) ? readFileSync(file) : Buffer.from('\0missing'));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const rebase = (rulesDir: string, p: string) => (isAbsolute(p) ? relative(rulesDir, p) : p);

export function writeRuleSetCache(cacheFile: string, rulesDir: string, set: RuleSet): void {
  const fingerprint = rulesFingerprint(rulesDir);
  if (fingerprint === undefined) return;
  const rules = set.rules.map(({ cases: _cases, ...r }) => ({
    ...r,
    dir: rebase(rulesDir, r.dir),
    file: rebase(rulesDir, r.file),
    ...(r.readme !== undefined ? { readme: rebase(rulesDir, r.readme) } : {}),
  }));
  writeFileSync(cacheFile, JSON.stringify({ version: VERSION, fingerprint, rules } satisfies CacheFile));
}

/** The cached rule set when it matches `rulesDir` as it is now; undefined otherwise (or on any doubt). */
export function readRuleSetCache(cacheFile: string, rulesDir: string): RuleSet | undefined {
  let cache: CacheFile;
  try {
    cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  if (cache.version !== VERSION || !Array.isArray(cache.rules)) return undefined;
  if (cache.fingerprint !== rulesFingerprint(rulesDir)) return undefined;
  return {
    rules: cache.rules.map((r) => ({
      ...r,
      dir: join(rulesDir, r.dir),
      file: join(rulesDir, r.file),
      ...(r.readme !== undefined ? { readme: join(rulesDir, r.readme) } : {}),
    })),
    dirs: [rulesDir],
  };
}
