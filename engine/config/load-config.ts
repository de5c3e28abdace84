import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { keyPathAt, locate, parseYaml } from '../shared/yaml-source.js';
import type { DataPath, YamlSource } from '../shared/yaml-source.js';
import { issuePath } from './issue-path.js';
import { ConfigError } from './config-error.js';
import type { ConfigIssue } from './config-error.js';
import { CHANNEL_NAME, CHANNEL_TYPES, rawConfig, rawTarget } from './config-schema.js';
import { crossReferenceProblems } from './cross-references.js';
import { suggest } from '../shared/did-you-mean.js';
import { expandEnv } from './expand-env.js';
import { hideEnvValues } from './expand-env.js';
import type { EnvProblem, EnvSubstitution } from './expand-env.js';
import { normalizeConfig, normalizeTarget } from './normalize-config.js';
import type { NormalizeProblem } from './normalize-config.js';
import type { ServerConfig } from './types.js';
import { valueAt } from '../shared/raw-value.js';

export type Env = Readonly<Record<string, string | undefined>>;

function located(
  src: YamlSource,
  path: DataPath,
  message: string,
  at: 'value' | 'key' = 'value',
): ConfigIssue {
  const loc = locate(src, path, at);
  return { file: loc.file, line: loc.line, column: loc.column, path: issuePath(path), message };
}

/** The value at a data path of the parsed YAML (undefined when the path leads nowhere). */
/** `type "slak" is not a channel type (stdout, file, slack, email): did you mean "slack"?` */
function channelTypeMessage(type: unknown): string {
  const all = CHANNEL_TYPES.join(', ');
  if (typeof type !== 'string') return `a channel needs \`type\`: one of ${all}`;
  const near = suggest(type, CHANNEL_TYPES, 1);
  return `type "${type}" is not a channel type (${all})${near.length > 0 ? `: did you mean "${near[0]}"?` : ''}`;
}

/** Channel names that routes and metrics could not use, each at its key, beside the schema's problems. */
function channelNameIssues(src: YamlSource, root: unknown): { issues: ConfigIssue[]; paths: DataPath[] } {
  const channels = valueAt(root, ['channels']);
  const issues: ConfigIssue[] = [];
  const paths: DataPath[] = [];
  if (channels === null || typeof channels !== 'object' || Array.isArray(channels)) return { issues, paths };
  for (const name of Object.keys(channels)) {
    if (CHANNEL_NAME.test(name)) continue;
    const lower = name.toLowerCase();
    const hint = lower !== name && CHANNEL_NAME.test(lower) ? ` (write "${lower}")` : '';
    issues.push(
      located(src, ['channels', name], `channel names are lowercase letters, digits, - and _${hint}`, 'key'),
    );
    paths.push(['channels', name]);
  }
  return { issues, paths };
}

function zodIssues(
  src: YamlSource,
  issues: readonly z.core.$ZodIssue[],
  root: unknown,
): { issues: ConfigIssue[]; paths: DataPath[] } {
  const out: ConfigIssue[] = [];
  const paths: DataPath[] = [];
  for (const i of issues) {
    const path = i.path as DataPath;
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys) {
        out.push(located(src, [...path, key], `unknown key "${key}"`, 'key'));
        paths.push([...path, key]);
      }
    } else if (
      i.code === 'invalid_union' &&
      path[0] === 'channels' &&
      (path.length === 2 || (path.length === 3 && path[2] === 'type'))
    ) {
      const channel = path.slice(0, 2);
      const type = valueAt(root, [...channel, 'type']);
      out.push(located(src, type === undefined ? channel : [...channel, 'type'], channelTypeMessage(type)));
      paths.push(path);
    } else {
      out.push(located(src, path, i.message));
      paths.push(path);
    }
  }
  return { issues: out, paths };
}

/**
 * Parses and validates a server config: YAML syntax, shape (zod), `${ENV}` references and
 * cross-references (routes naming channels that exist, regexes that compile) — every problem
 * at once, each at file:line:column, in one ConfigError. Pure: the environment is a parameter
 * (only the CLI reads process.env). Secrets come back wrapped in `Secret`.
 */
export function parseConfig(file: string, text: string, env: Env): ServerConfig {
  // A duplicate key (two channels with one name) leaves a readable document: its other problems
  // are reported with it. Any other YAML problem leaves nothing to check.
  const parsed = parseYaml(file, text, { valueDespiteDuplicateKeys: true });
  const src = parsed.source;
  const yamlIssues = parsed.issues
    .filter((i) => i.code !== 'empty-file')
    .map((i): ConfigIssue => {
      const at = { file: i.file, line: i.line, column: i.column };
      const key = i.code === 'yaml-duplicate-key' ? keyPathAt(src, i.line, i.column) : undefined;
      if (key === undefined) return { ...at, path: '(root)', message: i.message };
      const name = String(key[key.length - 1]);
      const what =
        key.length === 2 && key[0] === 'channels' ? `two channels named "${name}"` : `"${name}" twice`;
      return { ...at, path: issuePath(key), message: `${what}: a key may appear once in a map` };
    });
  if (yamlIssues.length > 0 && parsed.value === undefined) throw new ConfigError(yamlIssues);
  const envProblems: EnvProblem[] = [];
  const substituted: EnvSubstitution[] = [];
  const expanded = expandEnv(parsed.value ?? {}, env, envProblems, [], substituted);
  // No message may echo an expanded value: it may be a secret (`cannot read "…" as bytes`).
  const hidden = (issues: ConfigIssue[], paths: readonly DataPath[]): ConfigIssue[] =>
    issues.map((i, n) => ({ ...i, message: hideEnvValues(i.message, paths[n] ?? [], substituted) }));
  const issues: ConfigIssue[] = [...yamlIssues, ...envProblems.map((p) => located(src, p.path, p.message))];
  const result = rawConfig.safeParse(expanded);
  const names = channelNameIssues(src, expanded);
  issues.push(...hidden(names.issues, names.paths));
  if (!result.success) {
    const zod = zodIssues(src, result.error.issues, expanded);
    issues.push(...hidden(zod.issues, zod.paths));
  }
  const baseDir = dirname(resolve(file));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  // Problems between parts, and of each target the schema accepts, in the same pass as the schema's:
  // a route naming a missing channel shows up beside a typo elsewhere, not after it is fixed.
  const problems = crossReferenceProblems(expanded);
  const normalized = result.success ? normalizeConfig(result.data, abs) : undefined;
  problems.push(...(normalized?.problems ?? validTargetProblems(expanded, abs)));
  issues.push(
    ...hidden(
      problems.map((p) => located(src, p.path, p.message)),
      problems.map((p) => p.path),
    ),
  );
  if (issues.length > 0 || normalized === undefined) throw new ConfigError(byPosition(issues));
  return { ...normalized.config, file };
}

/** The own problems of each target that passes the schema, when some other part does not. */
function validTargetProblems(root: unknown, abs: (p: string) => string): NormalizeProblem[] {
  const targets = (root as { targets?: unknown } | null)?.targets;
  const problems: NormalizeProblem[] = [];
  if (!Array.isArray(targets)) return problems;
  targets.forEach((t: unknown, i) => {
    const parsed = rawTarget.safeParse(t);
    if (parsed.success) normalizeTarget(parsed.data, ['targets', i], abs, problems);
  });
  return problems;
}

/** In file order, as an editor walks them (stable: problems at one place keep their order). */
function byPosition(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
}

export async function loadConfig(file: string, env: Env): Promise<ServerConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(
      'MT_ERR_CONFIG_UNREADABLE',
      `${file}: cannot read the config (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        cause: err,
      },
    );
  }
  return parseConfig(file, text, env);
}
