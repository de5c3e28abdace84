import { ALLOC_KINDS, type HeapProfile, type ProfileGrowth } from '../parse/pprof/types.js';
import { ratio } from './derive-context.js';
import type { FactSetBuilder } from './fact-set-builder.js';

/** How many growing allocation sites the fact set keeps for runbooks. */
const GROWING_SITES_KEPT = 10;

/** Facts from the latest heap profile and, with a series, the growth between the first and the last. */
export function derivePprof(
  latest: HeapProfile | undefined,
  growth: ProfileGrowth | undefined,
  profiles: number,
  out: FactSetBuilder,
): void {
  out.put('pprof.profiles', profiles);
  if (latest !== undefined && latest.totals.inuseBytes > 0) {
    const total = latest.totals.inuseBytes;
    out.put('pprof.inuseBytes', total);
    out.put('pprof.inuseObjects', latest.totals.inuseObjects);
    out.put('pprof.bytesPerInuseObject', ratio(total, latest.totals.inuseObjects));
    for (const kind of ALLOC_KINDS)
      out.put(`pprof.inuseShare.${kind}`, latest.inuseBytesByKind[kind] / total);
    const top = latest.sites[0];
    if (top !== undefined) {
      out.put('pprof.topSite', top.function);
      out.put('pprof.topSiteInuseShare', top.inuseBytes / total);
    }
  }
  if (growth === undefined) return;
  out.put('pprof.growthInuseBytes', growth.totalInuseBytesDelta);
  const grown = growth.sites.filter((s) => s.inuseBytesDelta > 0);
  const top = grown[0];
  if (top === undefined) return;
  const positive = grown.reduce((sum, s) => sum + s.inuseBytesDelta, 0);
  out.put('pprof.topGrowthSite', top.function);
  out.put('pprof.topGrowthSiteShare', top.inuseBytesDelta / positive);
  out.put('pprof.topGrowthKind', top.kind);
  out.put('pprof.topGrowthKindSource', top.kindByFrames === true ? 'frames' : 'size');
  out.growingSites(
    grown.slice(0, GROWING_SITES_KEPT).map((s) => ({
      function: s.function,
      ...(s.location !== undefined ? { location: s.location } : {}),
      kind: s.kind,
      inuseBytesDelta: s.inuseBytesDelta,
      lastInuseBytes: s.lastInuseBytes,
    })),
  );
}
