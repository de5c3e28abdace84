import { readFile } from 'node:fs/promises';
import type { Diagnosis } from '../../diagnose/types.js';
import { InputError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { checkFormat, outputDiagnosis } from './output-diagnosis.js';

const CHANNELS = ['text', 'markdown', 'slack', 'email', 'html'] as const;

/** `memtriage render <diagnosis.json> --channel …`: the runbook of a saved diagnosis (`diagnose --format json`). */
export async function renderCommand(
  file: string,
  opts: { channel: string; templates?: string[] },
  io: CliIo,
): Promise<number> {
  const channel = checkFormat('--channel', opts.channel, CHANNELS);
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new InputError(
      'MT_ERR_DIAGNOSIS_INVALID',
      `${file}: cannot be read (${(cause as Error).message})`,
      { cause },
    );
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InputError('MT_ERR_DIAGNOSIS_INVALID', `${file}: not valid JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
  io.out(
    await outputDiagnosis(checkDiagnosis(file, value), channel, {
      color: io.isTty,
      ...(opts.templates ? { templatesDirs: opts.templates } : {}),
    }),
  );
  return 0;
}

/** Enough of the Diagnosis shape to render from; anything else is a clear input error, not a crash. */
function checkDiagnosis(file: string, v: unknown): Diagnosis {
  const d = v as Partial<Diagnosis> | null;
  const problems: string[] = [];
  if (typeof d !== 'object' || d === null || Array.isArray(d)) problems.push('must be a JSON object');
  else {
    if (d.version !== 1) problems.push(`version must be 1 (got ${JSON.stringify(d.version)})`);
    if (typeof d.incident !== 'object' || d.incident === null) problems.push('incident: missing');
    if (!Array.isArray(d.causes)) problems.push('causes: must be an array');
    if (typeof d.facts !== 'object' || d.facts === null) problems.push('facts: missing');
    for (const key of ['collectNext', 'missingSources', 'growingSites', 'warnings'] as const) {
      if (!Array.isArray(d[key])) problems.push(`${key}: must be an array`);
    }
  }
  if (problems.length > 0) {
    throw new InputError(
      'MT_ERR_DIAGNOSIS_INVALID',
      `${file}: not a memtriage diagnosis (from \`memtriage diagnose --format json\`): ${problems.join('; ')}`,
    );
  }
  return d as Diagnosis;
}
