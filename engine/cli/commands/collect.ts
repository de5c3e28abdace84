import { collectBundle } from '../../collect/collect-bundle.js';
import { InputError } from '../../errors.js';
import { parseQuantity } from '../../rules/index.js';
import type { CliIo } from '../io.js';

export interface CollectCliOptions {
  target?: string;
  cgroup?: string;
  pid?: string;
  duration: string;
  interval: string;
  profileEvery?: string;
  /** `--no-host-files` sets false: the service runs on another host than this one. */
  hostFiles?: boolean;
  out: string;
}

/** "60s", "2m", "500ms" → ms, with the same duration syntax as rule thresholds. */
function durationMs(flag: string, raw: string): number {
  const q = parseQuantity(raw, 'seconds', 'the value');
  if (!q.ok) throw new InputError('MT_ERR_CLI_USAGE', `${flag} ${raw}: ${q.message}`);
  return q.value * 1000;
}

/** `memtriage collect`: sample a live service and its container into a bundle. Ctrl-C keeps what was collected. */
export async function collectCommand(opts: CollectCliOptions, io: CliIo): Promise<number> {
  if (opts.target === undefined && opts.cgroup === undefined && opts.pid === undefined) {
    throw new InputError('MT_ERR_CLI_USAGE', 'nothing to collect: give --target, --cgroup or --pid');
  }
  const pid = opts.pid === undefined ? undefined : Number(opts.pid);
  const summary = await collectBundle({
    ...(opts.target !== undefined ? { target: opts.target } : {}),
    ...(opts.cgroup !== undefined ? { cgroupDir: opts.cgroup } : {}),
    ...(pid !== undefined ? { pid } : {}),
    durationMs: durationMs('--duration', opts.duration),
    intervalMs: durationMs('--interval', opts.interval),
    ...(opts.profileEvery !== undefined
      ? { profileEveryMs: durationMs('--profile-every', opts.profileEvery) }
      : {}),
    outDir: opts.out,
    ...(opts.hostFiles === false ? { hostFiles: false } : {}),
    ...(io.interrupts ? { signal: io.interrupts().signal } : {}),
    log: (msg) => io.err(`${msg}\n`),
  });
  for (const w of summary.warnings) {
    io.err(
      `warning: ${w.source}: ${w.message}${w.count !== undefined && w.count > 1 ? ` (×${w.count})` : ''}\n`,
    );
  }
  io.out(
    `${summary.aborted ? 'stopped early; ' : ''}${summary.samplesTaken}/${summary.samplesPlanned} samples, ` +
      `${summary.written.heapProfiles} heap profile(s) written to ${summary.outDir}\n` +
      `next: memtriage diagnose ${summary.outDir}\n`,
  );
  return 0;
}
