import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';

/** The answer a case expects: a rule id, or `healthy`. */
export const HEALTHY = 'healthy';

export interface CorpusCase {
  name: string;
  /** The expected top cause (a rule id) or `healthy`. */
  cause: string;
  /** What sets this case apart from the others of its cause (free text, for the report). */
  mechanism?: string;
  /** A bundle directory or `.tar.gz`. */
  bundle: string;
  /**
   * Seconds into the window at which the problem starts, for a capture that is healthy before it
   * (thrash that begins after a long uptime): a first-half variant that ends before it expects `healthy`.
   */
  onsetSeconds?: number;
}

const Label = z.union([
  z.string().min(1),
  z.strictObject({
    cause: z.string().min(1),
    mechanism: z.string().optional(),
    onsetSeconds: z.number().positive().optional(),
    /** Relative to the corpus directory; default `<case>.tar.gz` or `<case>/`. */
    bundle: z.string().optional(),
  }),
]);
const Labels = z.record(z.string(), Label);

/**
 * Reads `DIR/labels.json` — `{ "<case>": "<cause>" }` or `{ "<case>": { "cause", "mechanism", "bundle" } }` —
 * and finds each case's bundle: the `bundle` path (relative to DIR), else `DIR/<case>.tar.gz`, else
 * `DIR/<case>/`. Labels live outside the bundles, so nothing a rule reads names its answer.
 */
export async function loadCorpus(dir: string): Promise<CorpusCase[]> {
  const file = join(dir, 'labels.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new InputError('MT_ERR_EVAL_CORPUS', `${file}: ${(cause as Error).message}`, { cause });
  }
  const parsed = Labels.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      'MT_ERR_EVAL_CORPUS',
      `${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'} (expected { "<case>": "<cause>" | { "cause": … } })`,
    );
  }
  const cases: CorpusCase[] = [];
  for (const [name, label] of Object.entries(parsed.data)) {
    const entry = typeof label === 'string' ? { cause: label } : label;
    const candidates = entry.bundle
      ? [resolve(dir, entry.bundle)]
      : [join(dir, `${name}.tar.gz`), join(dir, name)];
    const bundle = candidates.find((p) => existsSync(p));
    if (bundle === undefined) {
      throw new InputError(
        'MT_ERR_EVAL_CORPUS',
        `${file}: case ${name}: no bundle at ${candidates.join(' or ')}`,
      );
    }
    cases.push({
      name,
      cause: entry.cause,
      ...(entry.mechanism !== undefined ? { mechanism: entry.mechanism } : {}),
      ...(entry.onsetSeconds !== undefined ? { onsetSeconds: entry.onsetSeconds } : {}),
      bundle,
    });
  }
  return cases.sort((a, b) => a.cause.localeCompare(b.cause) || a.name.localeCompare(b.name));
}
