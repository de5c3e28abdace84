import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { locate, parseYaml } from '../shared/yaml-source.js';
import type { DataPath, YamlSource } from '../shared/yaml-source.js';
import { issuePath } from './issue-path.js';
import { ConfigError } from './config-error.js';
import type { ConfigIssue } from './config-error.js';
import { rawConfig } from './config-schema.js';
import { expandEnv } from './expand-env.js';
import { hideEnvValues } from './expand-env.js';
import type { EnvProblem, EnvSubstitution } from './expand-env.js';
import { normalizeConfig } from './normalize-config.js';
import type { ServerConfig } from './types.js';

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

function zodIssues(
  src: YamlSource,
  issues: readonly z.core.$ZodIssue[],
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
    } else if (i.code === 'invalid_union' && path[0] === 'channels' && path.length === 2) {
      out.push(located(src, path, 'a channel needs `type`: one of stdout, file, slack, email'));
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
  const parsed = parseYaml(file, text);
  const src = parsed.source;
  if (parsed.issues.some((i) => i.code !== 'empty-file')) {
    throw new ConfigError(
      parsed.issues.map((i) => ({
        file: i.file,
        line: i.line,
        column: i.column,
        path: '(root)',
        message: i.message,
      })),
    );
  }
  const envProblems: EnvProblem[] = [];
  const substituted: EnvSubstitution[] = [];
  const expanded = expandEnv(parsed.value ?? {}, env, envProblems, [], substituted);
  // No message may echo an expanded value: it may be a secret (`cannot read "…" as bytes`).
  const hidden = (issues: ConfigIssue[], paths: readonly DataPath[]): ConfigIssue[] =>
    issues.map((i, n) => ({ ...i, message: hideEnvValues(i.message, paths[n] ?? [], substituted) }));
  const issues: ConfigIssue[] = envProblems.map((p) => located(src, p.path, p.message));
  const result = rawConfig.safeParse(expanded);
  if (!result.success) {
    const zod = zodIssues(src, result.error.issues);
    issues.push(...hidden(zod.issues, zod.paths));
  }
  if (issues.length > 0 || !result.success) throw new ConfigError(issues);
  const baseDir = dirname(resolve(file));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const { config, problems } = normalizeConfig(result.data, abs);
  if (problems.length > 0)
    throw new ConfigError(
      hidden(
        problems.map((p) => located(src, p.path, p.message)),
        problems.map((p) => p.path),
      ),
    );
  return { ...config, file };
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
