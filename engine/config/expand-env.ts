import type { DataPath } from '../shared/yaml-source.js';

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface EnvProblem {
  path: DataPath;
  message: string;
}

/** One `${NAME}` that was replaced: config errors put the reference back in place of the value. */
export interface EnvSubstitution {
  path: DataPath;
  name: string;
  value: string;
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
  substituted: EnvSubstitution[] = [],
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
      substituted.push({ path, name, value: v });
      return v;
    });
  }
  if (Array.isArray(value))
    return value.map((v, i) => expandEnv(v, env, problems, [...path, i], substituted));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, problems, [...path, k], substituted)]),
    );
  }
  return value;
}

/** Values this short are only hidden in problems at their own path (elsewhere `1` is too common). */
const MIN_HIDDEN_ANYWHERE = 4;

/**
 * A problem's message with every expanded value put back as its `${NAME}`: a message may quote
 * the value it could not read (`cannot read "…" as bytes`), and the value may be a secret.
 */
export function hideEnvValues(
  message: string,
  path: DataPath,
  substituted: readonly EnvSubstitution[],
): string {
  const samePath = (p: DataPath) =>
    p.length <= path.length && p.every((k, i) => String(k) === String(path[i]));
  let out = message;
  const longestFirst = [...substituted].sort((a, b) => b.value.length - a.value.length);
  for (const s of longestFirst) {
    if (s.value.length >= MIN_HIDDEN_ANYWHERE || samePath(s.path))
      out = out.split(s.value).join(`\${${s.name}}`);
  }
  return out;
}

/** True when the raw text of a value was an environment reference (used to require them for secrets). */
export function isEnvReference(raw: unknown): boolean {
  return typeof raw === 'string' && new RegExp(REF.source).test(raw);
}
