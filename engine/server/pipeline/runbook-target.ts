import { selectTarget } from '../../collect/acquire-for-alert.js';
import type { TargetConfig } from '../../config/types.js';

/**
 * What the server tells a runbook about where the service runs: the debug address of the
 * configured target the alert's labels select, or none. An alert's own `instance` label is never
 * used as an address (it would let an alert point an engineer's `curl` or `memtriage collect` at
 * any host); templates show it as data with a warning.
 */
export function runbookTargetFor(
  targets: readonly TargetConfig[],
  labels: Readonly<Record<string, string>>,
): { instance: string | null } {
  const t = selectTarget(targets, labels);
  return { instance: t?.go ? t.go.host : null };
}
