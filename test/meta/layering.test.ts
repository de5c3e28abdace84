import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The import rules of docs/architecture.md ("Boundaries kept on purpose"), checked on the sources.
 *
 * engine/ never imports integrations/, with one exception: engine/integrations.ts, the composition
 * root. engine/ declares the Channel interface and the channel-neutral Runbook, integrations/
 * implements them; the programs that bind config to integrations (`memtriage serve`, the CLI's
 * `--format slack|email`) live in engine/, so exactly one file of engine/ may name integrations/.
 */
const COMPOSITION_ROOT = 'engine/integrations.ts';

/** Each library with the one folder allowed to import it at run time (type-only imports are free). */
const ONE_IMPORTER: Readonly<Record<string, string>> = {
  nodemailer: 'integrations/email/',
  '@slack/web-api': 'integrations/slack/',
  handlebars: 'engine/runbook/render/',
  'json-rules-engine': 'engine/rules/',
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative('.', join(e.parentPath, e.name)));
}

interface Import {
  specifier: string;
  typeOnly: boolean;
}

/** Static imports and re-exports (`import … from`, `export … from`, `import '…'`) and dynamic `import('…')`. */
function importsOf(file: string, text = readFileSync(file, 'utf8')): Import[] {
  const out: Import[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm))
    out.push({ specifier: m[3] as string, typeOnly: m[2] !== undefined });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g))
    out.push({ specifier: m[1] as string, typeOnly: false });
  return out;
}

/** The repository-relative path a relative specifier points at; undefined for a package. */
function target(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return relative('.', resolve(dirname(file), specifier));
}

describe('layering', () => {
  it('the import scanner sees static, re-exported and dynamic imports', () => {
    const sample = [
      "import { a } from '../../integrations/a.js';",
      "import type { B } from '../../integrations/b.js';",
      "export { c } from '../../integrations/c.js';",
      'import {',
      '  d,',
      "} from 'nodemailer';",
      "const e = await import('../../integrations/e.js');",
    ].join('\n');
    expect(importsOf('engine/cli/x.ts', sample)).toEqual([
      { specifier: '../../integrations/a.js', typeOnly: false },
      { specifier: '../../integrations/b.js', typeOnly: true },
      { specifier: '../../integrations/c.js', typeOnly: false },
      { specifier: 'nodemailer', typeOnly: false },
      { specifier: '../../integrations/e.js', typeOnly: false },
    ]);
    expect(target('engine/cli/x.ts', '../../integrations/a.js')).toBe('integrations/a.js');
    expect(importsOf(COMPOSITION_ROOT).map((i) => target(COMPOSITION_ROOT, i.specifier))).toContain(
      'integrations/create-channels.js',
    );
  });

  it(`no engine/ file imports integrations/ but ${COMPOSITION_ROOT}`, () => {
    const offending = sources('engine').flatMap((file) =>
      file === COMPOSITION_ROOT
        ? []
        : importsOf(file)
            .filter((i) => target(file, i.specifier)?.startsWith('integrations/'))
            .map((i) => `${file} imports ${i.specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it('each wrapped library has one importer folder', () => {
    const offending = [...sources('engine'), ...sources('integrations')].flatMap((file) =>
      importsOf(file)
        .filter((i) => !i.typeOnly && i.specifier in ONE_IMPORTER)
        .filter((i) => !file.startsWith(ONE_IMPORTER[i.specifier] as string))
        .map((i) => `${file} imports ${i.specifier}`),
    );
    expect(offending).toEqual([]);
  });
});
