import type { OutboxConfig } from '../config/types.js';

/**
 * Delay before attempt `attempts + 1`: exponential (base · 2^(attempts−1)) capped at maxDelay,
 * with "full jitter" (a uniform draw in [delay/2, delay]) so many deliveries that failed together
 * do not retry together. A server's Retry-After is a floor: we never come back earlier than it
 * asked, even when that exceeds the cap.
 */
export function backoffDelayMs(
  attempts: number,
  cfg: Pick<OutboxConfig, 'baseDelayMs' | 'maxDelayMs'>,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exp = cfg.baseDelayMs * 2 ** Math.max(0, attempts - 1);
  const capped = Math.min(cfg.maxDelayMs, exp);
  const jittered = capped / 2 + random() * (capped / 2);
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}
