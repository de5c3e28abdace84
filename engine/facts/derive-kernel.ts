import type { DmesgLog } from '../parse/dmesg/types.js';
import type { FactSetBuilder } from './fact-set-builder.js';

/** Facts from the kernel log: OOM-killer reports. */
export function deriveKernel(log: DmesgLog, out: FactSetBuilder): void {
  out.put('kernel.oomKills', log.kills.length);
  const last = log.kills[log.kills.length - 1];
  if (last === undefined) return;
  out.put('kernel.oomKillMemcg', last.memcg);
  out.put('kernel.oomKilledProcess', last.processName);
  out.put('kernel.oomKilledAnonRssBytes', last.anonRssBytes);
}
