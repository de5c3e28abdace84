import type { LabelMatcher } from './types.js';

/** True when every matcher holds; an empty matcher matches everything (a catch-all route). */
export function matchLabels(m: LabelMatcher, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(m.equal)) if (labels[k] !== v) return false;
  for (const [k, re] of Object.entries(m.regex)) if (!re.test(labels[k] ?? '')) return false;
  return true;
}
