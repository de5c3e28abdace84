import type { ChannelConfigOf } from '../../engine/config/types.js';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { NotifyError } from '../../engine/notify/notify-error.js';
import { resolveNote } from '../../engine/notify/runbook-text.js';
import type { Channel, RenderInput } from '../../engine/notify/types.js';

export type FileChannelConfig = ChannelConfigOf<'file'>;

/**
 * Appends one JSON line per delivery (the whole Runbook for an `open`), which proves the model is
 * serialisable and gives scripts a feed to tail (robusta's file sink does the same). A write
 * error (disk full, EACCES) is a server error: the engine retries it.
 */
export function createFileChannel(config: FileChannelConfig): Channel {
  return {
    name: config.name,
    type: 'file',
    resolveKinds: ['resolve'],
    render(input: RenderInput) {
      return input.kind === 'open'
        ? { kind: 'open', incidentId: input.incidentId, runbook: input.runbook }
        : {
            kind: input.kind,
            incidentId: input.incidentId,
            text: resolveNote(input),
            resolvedAt: input.resolvedAt,
          };
    },
    async send(msg) {
      try {
        await mkdir(dirname(config.path), { recursive: true });
        await appendFile(
          config.path,
          `${JSON.stringify({ delivery: msg.id, ...(msg.payload as object) })}\n`,
        );
      } catch (err) {
        throw new NotifyError(
          'serverError',
          `cannot append to ${config.path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
          undefined,
          {
            cause: err,
          },
        );
      }
      return msg.kind === 'open' ? { thread: { file: config.path } } : {};
    },
  };
}
