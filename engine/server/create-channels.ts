import type { ChannelConfig } from '../config/types.js';
import type { Channel } from '../notify/types.js';
import { createEmailChannel } from '../../integrations/email/index.js';
import { createFileChannel } from '../../integrations/file/index.js';
import { createSlackChannel } from '../../integrations/slack/index.js';
import { createStdoutChannel } from '../../integrations/stdout/index.js';

/**
 * The explicit registry of channel kinds (docs/architecture.md, "Code is registered, data is discovered", Alertmanager's
 * BuildReceiverIntegrations): config type → integration factory. The server is the composition
 * root, so this is the one place in engine/ that imports integrations/.
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
