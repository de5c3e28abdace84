import type { AllocKind, HeapProfile, ProfileGrowth, SiteGrowth, SiteStat } from './types.js';

/**
 * Growth of in-use memory by allocation site between two heap profiles of one process — what
 * `go tool pprof -diff_base=first last` shows, flat by the same sites as `HeapProfile.sites`.
 * A site present in only one profile counts as 0 in the other. Sites are sorted by
 * `inuseBytesDelta` desc (the biggest grower first, shrinking sites last).
 *
 * Both profiles describe the heap as of their last completed GC, and Go's values are sampled
 * estimates (1 sample per 512 KiB by default), so deltas below a few hundred KiB are noise.
 * A site's kind is its kind in `last` (in `first` when it vanished).
 */
export function profileGrowth(first: HeapProfile, last: HeapProfile): ProfileGrowth {
  const before = new Map<string, SiteStat>(first.sites.map((s) => [s.function, s]));
  const after = new Map<string, SiteStat>(last.sites.map((s) => [s.function, s]));
  const sites: SiteGrowth[] = [];
  for (const name of new Set([...after.keys(), ...before.keys()])) {
    const a = before.get(name);
    const b = after.get(name);
    const g: SiteGrowth = {
      function: name,
      kind: siteKind(b ?? a),
      firstInuseBytes: a?.inuseBytes ?? 0,
      lastInuseBytes: b?.inuseBytes ?? 0,
      inuseBytesDelta: (b?.inuseBytes ?? 0) - (a?.inuseBytes ?? 0),
      inuseObjectsDelta: (b?.inuseObjects ?? 0) - (a?.inuseObjects ?? 0),
    };
    if ((b ?? a)?.kindByFrames === true) g.kindByFrames = true;
    const location = b?.location ?? a?.location;
    if (location !== undefined) g.location = location;
    sites.push(g);
  }
  sites.sort(
    (x, y) =>
      y.inuseBytesDelta - x.inuseBytesDelta ||
      (x.function < y.function ? -1 : x.function > y.function ? 1 : 0),
  );
  const growth: ProfileGrowth = {
    sites,
    totalInuseBytesDelta: last.totals.inuseBytes - first.totals.inuseBytes,
  };
  if (first.timeMs !== undefined) growth.fromMs = first.timeMs;
  if (last.timeMs !== undefined) growth.toMs = last.timeMs;
  return growth;
}

function siteKind(s: SiteStat | undefined): AllocKind {
  return s?.kind ?? 'other';
}

/**
 * Growth over a series of profiles (a bundle's `pprof/<ts>.pb.gz`): the first readable
 * profile against the last one, ordered by `timeMs` when every readable profile has it
 * (input order otherwise). Unreadable profiles (`valid: false`) are skipped. Undefined when
 * fewer than two readable profiles remain: growth is then unknown, not zero.
 */
export function growthOverSeries(profiles: readonly HeapProfile[]): ProfileGrowth | undefined {
  const usable = profiles.filter((p) => p.valid !== false);
  if (usable.length < 2) return undefined;
  if (usable.every((p) => p.timeMs !== undefined)) {
    usable.sort((a, b) => a.timeMs! - b.timeMs!); // Array.prototype.sort is stable
  }
  return profileGrowth(usable[0]!, usable[usable.length - 1]!);
}
