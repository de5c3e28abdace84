import { MemtriageError } from '../errors.js';
import type { CollectWarning } from './types.js';

/**
 * Nothing at all could be collected (no sample of any source, no heap profile): the run is a
 * failure (CLI exit code 1), not bad input. meta.json is still written, with the warnings,
 * so the empty bundle explains itself.
 */
export class CollectFailedError extends MemtriageError {
  constructor(
    readonly outDir: string,
    readonly warnings: CollectWarning[],
  ) {
    const first = warnings
      .slice(0, 3)
      .map((w) => `${w.source}: ${w.message}`)
      .join('; ');
    super('MT_ERR_COLLECT_NOTHING', `nothing could be collected into ${outDir}${first ? ` (${first})` : ''}`);
    this.name = 'CollectFailedError';
  }
}
