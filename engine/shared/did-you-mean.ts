/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so "titel" is one
 * edit from "title"). The candidate lists here are a few hundred short ids at most.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      row[j] = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] ?? 0, ((d[i - 2] as number[])[j - 2] ?? 0) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] ?? 0;
}

/**
 * Up to `max` candidates close to `input`: a case-insensitive match, a candidate whose last dotted
 * segment is the input (a fact id written without its source prefix), anything within an edit
 * distance of a third of the input's length (at least 1, so short words do not suggest noise), and
 * failing that a candidate the input abbreviates (`warn` for `warning`; three characters at least).
 */
export function suggest(input: string, candidates: readonly string[], max = 3): string[] {
  const lower = input.toLowerCase();
  const exact = candidates.filter((c) => c.toLowerCase() === lower);
  if (exact.length > 0) return exact.slice(0, max);
  const suffix = candidates.filter((c) => c.toLowerCase().endsWith(`.${lower}`));
  if (suffix.length > 0) return suffix.slice(0, max);
  const limit = Math.max(1, Math.floor(input.length / 3));
  const near = candidates
    .map((c) => ({ c, d: editDistance(lower, c.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : 1))
    .slice(0, max)
    .map((x) => x.c);
  if (near.length > 0 || lower.length < 3) return near;
  return candidates.filter((c) => c.toLowerCase().startsWith(lower)).slice(0, max);
}

/** ` (did you mean "a" or "b"?)`, or nothing. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const s = suggest(input, candidates);
  if (s.length === 0) return '';
  return ` (did you mean ${s.map((x) => `"${x}"`).join(' or ')}?)`;
}
