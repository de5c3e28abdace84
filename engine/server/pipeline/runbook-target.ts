import { selectTarget } from '../../collect/acquire-for-alert.js';
import { labelledUrl } from '../../collect/labelled/resolve-labelled-target.js';
import type { TargetConfig } from '../../config/types.js';

/**
 * What the server tells a runbook about where the service runs: the debug address of the
 * configured target the alert's labels select, or none. An alert's own `instance` label is never
 * used as an address (it would let an alert point an engineer's `curl` or `memtriage collect` at
 * any host); templates show it as data with a warning. A target built from labels gives its
 * address only when the label passed validation and the target's allow list.
 */
export function runbookTargetFor(
  targets: readonly TargetConfig[],
  labels: Readonly<Record<string, string>>,
): { instance: string | null } {
  const t = selectTarget(targets, labels);
  if (t?.goFromLabels) return { instance: labelledUrl(t.goFromLabels, labels)?.host ?? null };
  return { instance: t?.go ? t.go.host : null };
}
