import type { DataPath } from '../rules/yaml-source.js';

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface EnvProblem {
  path: DataPath;
  message: string;
}

/**
 * Replaces `${NAME}` in every string of the parsed config with the environment's value, so
 * secrets stay out of the file. A reference to an unset variable is a problem at that value's
 * position (the message names the variable, never a value). `$${NAME}` keeps a literal `${NAME}`.
 */
export function expandEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  problems: EnvProblem[],
  path: DataPath = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(/(\$?)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (all, escaped: string, name: string) => {
      if (escaped) return all.slice(1);
      const v = env[name];
      if (v === undefined || v === '') {
        problems.push({
          path,
          message: `environment variable ${name} is not set (referenced as \${${name}})`,
        });
        return '';
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnv(v, env, problems, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, problems, [...path, k])]),
    );
  }
  return value;
}

/** True when the raw text of a value was an environment reference (used to require them for secrets). */
export function isEnvReference(raw: unknown): boolean {
  return typeof raw === 'string' && new RegExp(REF.source).test(raw);
}
