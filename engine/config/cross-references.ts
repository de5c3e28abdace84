import type { DataPath } from '../shared/yaml-source.js';
import { defaultConfig } from './default-config.js';
import type { NormalizeProblem } from './normalize-config.js';
import { isPlainObject } from '../shared/raw-value.js';

/** A `matchRe` value as a matcher uses it (anchored, like Alertmanager's `=~`), or why it is not a regex. */
export function compileMatchRe(source: string): RegExp | { error: string } {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch (err) {
    return { error: `not a regular expression: ${(err as Error).message}` };
  }
}

const record = (v: unknown): Record<string, unknown> | undefined => (isPlainObject(v) ? v : undefined);
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/**
 * The problems between parts of the config: routes naming channels that are not defined, `matchRe`
 * values that are not regular expressions, two targets with one name. Read from the config as
 * written (after `${ENV}` expansion), not from the validated one, so that they are reported in the
 * same pass as the schema's problems: a part the schema refuses is skipped here, never guessed at,
 * and a channel whose definition is wrong still counts as defined (its own problem is reported).
 */
export function crossReferenceProblems(root: unknown): NormalizeProblem[] {
  const problems: NormalizeProblem[] = [];
  const config = record(root) ?? {};
  const channels = [
    ...Object.keys(defaultConfig().channels),
    ...Object.keys(record(config['channels']) ?? {}),
  ].filter((name, i, all) => all.indexOf(name) === i);

  const checkChannels = (names: unknown, at: DataPath) =>
    list(names).forEach((n, i) => {
      if (typeof n === 'string' && n !== '' && !channels.includes(n)) {
        problems.push({
          path: [...at, i],
          message: `no channel named "${n}"; defined: ${channels.join(', ')}`,
        });
      }
    });
  const checkRegexes = (matchRe: unknown, at: DataPath) => {
    for (const [label, source] of Object.entries(record(matchRe) ?? {})) {
      if (typeof source !== 'string') continue;
      const re = compileMatchRe(source);
      if (!(re instanceof RegExp)) problems.push({ path: [...at, 'matchRe', label], message: re.error });
    }
  };

  list(config['targets']).forEach((t, i) => checkRegexes(record(t)?.['matchRe'], ['targets', i]));
  const firstTarget = new Map<string, number>();
  list(config['targets']).forEach((t, i) => {
    const name = record(t)?.['name'];
    if (typeof name !== 'string' || name === '') return;
    const first = firstTarget.get(name);
    if (first === undefined) firstTarget.set(name, i);
    else
      problems.push({
        path: ['targets', i, 'name'],
        message: `duplicate target name "${name}" (targets[${first}] has it too)`,
      });
  });
  list(config['routes']).forEach((r, i) => {
    checkRegexes(record(r)?.['matchRe'], ['routes', i]);
    checkChannels(record(r)?.['channels'], ['routes', i, 'channels']);
  });
  checkChannels(record(config['defaultRoute'])?.['channels'], ['defaultRoute', 'channels']);
  return problems;
}
