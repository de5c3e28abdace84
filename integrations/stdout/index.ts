import type { ChannelConfigOf } from '../../engine/config/types.js';
import { resolveNote, runbookText } from '../../engine/notify/runbook-text.js';
import type { Channel, RenderInput } from '../../engine/notify/types.js';

export type StdoutChannelConfig = ChannelConfigOf<'stdout'>;

/** Prints runbooks to a stream (stdout by default): the zero-config channel of `memtriage serve`. */
export function createStdoutChannel(
  config: StdoutChannelConfig,
  deps: { write?: (text: string) => void } = {},
): Channel {
  const write = deps.write ?? ((t: string) => void process.stdout.write(t));
  return {
    name: config.name,
    type: 'stdout',
    resolveKinds: ['resolve'],
    render(input: RenderInput) {
      return { text: input.kind === 'open' ? runbookText(input.runbook) : resolveNote(input) };
    },
    async send(msg) {
      const { text } = msg.payload as { text: string };
      write(`${text}\n\n`);
      return msg.kind === 'open' ? { thread: { incident: msg.incidentId } } : {};
    },
  };
}
