/** Levenshtein distance, two rows: the candidate lists here are a few hundred short ids at most. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * Up to `max` candidates close to `input`: a case-insensitive match, a candidate whose last dotted
 * segment is the input (a fact id written without its source prefix), then anything within an edit
 * distance of about a third of the input's length.
 */
export function suggest(input: string, candidates: readonly string[], max = 3): string[] {
  const lower = input.toLowerCase();
  const exact = candidates.filter((c) => c.toLowerCase() === lower);
  if (exact.length > 0) return exact.slice(0, max);
  const suffix = candidates.filter((c) => c.toLowerCase().endsWith(`.${lower}`));
  if (suffix.length > 0) return suffix.slice(0, max);
  const limit = Math.max(2, Math.floor(input.length / 3));
  return candidates
    .map((c) => ({ c, d: editDistance(lower, c.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : 1))
    .slice(0, max)
    .map((x) => x.c);
}

/** ` (did you mean "a" or "b"?)`, or nothing. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const s = suggest(input, candidates);
  if (s.length === 0) return '';
  return ` (did you mean ${s.map((x) => `"${x}"`).join(' or ')}?)`;
}
