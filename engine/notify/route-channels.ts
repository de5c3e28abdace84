import { matchLabels } from '../config/match-labels.js';
import type { RouteConfig } from '../config/types.js';

/**
 * Channels for an alert's labels, in the spirit of Alertmanager's routing tree flattened to a
 * list: routes are tried in order, the first match wins unless it says `continue`, and the
 * default channels apply when nothing matched. Duplicates are removed, order kept.
 */
export function routeChannels(
  routes: readonly RouteConfig[],
  defaults: readonly string[],
  labels: Readonly<Record<string, string>>,
): string[] {
  const out: string[] = [];
  let matched = false;
  for (const r of routes) {
    if (!matchLabels(r.match, labels)) continue;
    matched = true;
    for (const c of r.channels) if (!out.includes(c)) out.push(c);
    if (!r.continue) break;
  }
  return matched ? out : [...defaults];
}
