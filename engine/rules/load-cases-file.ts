import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isArchiveName } from '../bundle/read-bundle.js';
import { mapZodIssues } from './map-zod-issues.js';
import { isPlainObject } from './raw-paths.js';
import { CasesFileSchema } from './rule-schema.js';
import type { RuleCase, RuleCases, RuleIssue } from './types.js';
import { locate, parseYaml } from '../shared/yaml-source.js';
import type { YamlSource } from '../shared/yaml-source.js';

/** A bundle is a directory or its `.tar.gz`. */
async function isBundle(path: string): Promise<boolean> {
  try {
    const st = await stat(path);
    return st.isDirectory() || (st.isFile() && isArchiveName(path));
  } catch {
    return false;
  }
}

/** Validates one cases.yaml: shape, and that every bundle (directory or .tar.gz) exists (relative to the file's folder). */
export async function loadCasesFile(
  file: string,
  text: string,
): Promise<{ cases?: RuleCases; issues: RuleIssue[] }> {
  const parsed = parseYaml(file, text);
  if (parsed.issues.length > 0) return { issues: parsed.issues };
  const { source, value } = parsed;
  if (!isPlainObject(value)) {
    return {
      issues: [
        {
          ...locate(source, []),
          code: 'not-a-mapping',
          message: 'cases.yaml must be a mapping with fires and/or doesNotFire lists',
        },
      ],
    };
  }
  const result = CasesFileSchema.safeParse(value);
  const issues = result.success ? [] : mapZodIssues(result.error.issues, source, value, 'cases').issues;
  const base = dirname(file);
  const lists = { fires: [] as RuleCase[], doesNotFire: [] as RuleCase[] };
  for (const key of ['fires', 'doesNotFire'] as const) {
    const list = value[key];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      const c: unknown = list[i];
      if (!isPlainObject(c) || typeof c.bundle !== 'string' || c.bundle === '') continue;
      const bundle = resolve(base, c.bundle);
      if (!(await isBundle(bundle))) {
        issues.push({
          ...locate(source, [key, i, 'bundle']),
          code: 'missing-bundle',
          message: `bundle "${c.bundle}" does not exist as a directory or .tar.gz (resolved to ${bundle}; paths are relative to the folder of cases.yaml)`,
        });
        continue;
      }
      lists[key].push(toCase(source, [key, i], c, bundle));
    }
  }
  if (issues.length > 0) return { issues };
  return { cases: { file, ...lists }, issues };
}

function toCase(
  source: YamlSource,
  path: (string | number)[],
  c: Record<string, unknown>,
  bundle: string,
): RuleCase {
  return {
    name: String(c.name),
    bundleAsWritten: String(c.bundle),
    bundle,
    topCause: c.topCause === true,
    location: locate(source, path),
  };
}
