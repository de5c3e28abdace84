import type { ChannelConfig } from '../engine/config/types.js';
import type { Channel } from '../engine/notify/types.js';
import { createEmailChannel } from './email/index.js';
import { createFileChannel } from './file/index.js';
import { createSlackChannel } from './slack/index.js';
import { createStdoutChannel } from './stdout/index.js';

/**
 * The explicit registry of channel kinds (docs/architecture.md, "Code is registered, data is discovered", Alertmanager's
 * BuildReceiverIntegrations): config type → integration factory. engine/ reaches it only through
 * its composition root, engine/integrations.ts.
 */
export function createChannels(configs: Readonly<Record<string, ChannelConfig>>): Map<string, Channel> {
  const out = new Map<string, Channel>();
  for (const c of Object.values(configs)) {
    switch (c.type) {
      case 'stdout':
        out.set(c.name, createStdoutChannel(c));
        break;
      case 'file':
        out.set(c.name, createFileChannel(c));
        break;
      case 'slack':
        out.set(c.name, createSlackChannel(c));
        break;
      case 'email':
        out.set(c.name, createEmailChannel(c));
        break;
    }
  }
  return out;
}
