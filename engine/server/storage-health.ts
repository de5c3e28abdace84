import type { Log } from '../notify/log.js';

export interface StorageHealth {
  /** A write failed on the disk: not ready until a probe write succeeds. */
  failed(err: unknown): void;
  status(): { ok: true } | { ok: false; reason: string };
  stop(): void;
}

/**
 * Readiness of the store's disk. After a failed write (disk full, I/O error) the server reports
 * not ready and answers writes 503 with Retry-After; a small committed write is tried every
 * `intervalMs`, and once one succeeds `onRecovered` resumes the work left at its last stage. No
 * restart is needed when space returns.
 */
export function createStorageHealth(opts: {
  probe: () => Promise<void>;
  onRecovered: () => void;
  /** Called once per outage, when it starts (e.g. retention, which may free space). */
  onFailed?: () => void;
  log: Log;
  intervalMs: number;
}): StorageHealth {
  let failure: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      tick().catch(() => undefined);
    }, opts.intervalMs); // tick handles its own failures
    timer.unref();
  };
  async function tick(): Promise<void> {
    timer = undefined;
    try {
      await opts.probe();
    } catch (err) {
      failure = (err as Error).message;
      schedule();
      return;
    }
    opts.log.info({}, 'storage is writable again; resuming the work left at its last stage');
    failure = undefined;
    try {
      opts.onRecovered();
    } catch (err) {
      opts.log.error({ error: (err as Error).message }, 'resuming after a storage outage failed');
    }
  }

  return {
    failed(err) {
      const first = failure === undefined;
      failure = (err as Error | undefined)?.message ?? 'storage unavailable';
      if (first) {
        opts.log.error(
          { error: failure },
          'storage unavailable: answering 503 and not ready until a write succeeds again',
        );
        try {
          opts.onFailed?.();
        } catch (e) {
          opts.log.error({ error: (e as Error).message }, 'reacting to a storage outage failed');
        }
      }
      schedule();
    },
    status: () =>
      failure === undefined ? { ok: true } : { ok: false, reason: `storage unavailable: ${failure}` },
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
