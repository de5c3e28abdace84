import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../engine/error-codes.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

const CODE = /MT_ERR_[A-Z0-9_]+/g;
const used = new Set(
  [...sources('engine'), ...sources('integrations')]
    .filter((f) => !f.endsWith('error-codes.ts'))
    .flatMap((f) => readFileSync(f, 'utf8').match(CODE) ?? []),
);
const registered = Object.keys(ERROR_CODES);
const doc = readFileSync('docs/errors.md', 'utf8');
const documented = new Set([...doc.matchAll(/^\| `(MT_ERR_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]));

describe('error codes: one registry, all documented, none unused', () => {
  it('every code the code raises is registered', () => {
    expect([...used].filter((c) => !(c in ERROR_CODES))).toEqual([]);
  });
  it('every registered code is raised somewhere', () => {
    expect(registered.filter((c) => !used.has(c))).toEqual([]);
  });
  it('docs/errors.md documents exactly the registered codes, with their meaning', () => {
    expect([...documented].sort()).toEqual([...registered].sort());
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${code}\``));
      expect(row, `${code} row (regenerate: npx tsx scripts/gen-errors-doc.ts)`).toContain(meaning);
    }
  });
});
