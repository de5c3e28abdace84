import { formatBytes } from '../../format/units.js';
import { downsample, resolveSeries } from '../chart/chart-series.js';
import type { HelperOptions } from '../render/handlebars-env.js';
import { cleanValue } from '../render/literal.js';
import type { RenderState } from '../render/render-state.js';
import type { ChartSeries, Rich } from '../types.js';

type EmitHelper = (args: unknown[], options: HelperOptions, state: RenderState) => string;

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? cleanValue(v).trim() : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Helpers that emit a whole block from the diagnosis (not from template text). */
export const EMIT_HELPERS: Readonly<Record<string, EmitHelper>> = {
  /** `{{evidence heading="Why memtriage thinks so"}}`: the top cause's comparisons. */
  evidence: (_a, o, s) => {
    const cause = s.context.cause;
    if (cause === undefined || cause.evidence.length === 0) return '';
    const heading = str(o.hash['heading']);
    return s.add({ kind: 'evidence', ...(heading ? { heading } : {}), rows: cause.evidence });
  },

  /**
   * `{{chart "gctrace.liveHeapBytes" title="…" also="gctrace.goalBytes" limit=target.limitBytes
   * limitLabel="container limit"}}`: nothing when the bundle lacks the series.
   */
  chart: ([id], o, s) => {
    const main = resolveSeries(s.diagnosis.series, String(id));
    if (main === undefined) return '';
    const series: ChartSeries[] = [{ name: main.label, points: downsample(main.points) }];
    const also = str(o.hash['also']);
    const other = also === undefined ? undefined : resolveSeries(s.diagnosis.series, also);
    if (other !== undefined && other.unit === main.unit)
      series.push({ name: other.label, points: downsample(other.points) });
    const limit = num(o.hash['limit']);
    const title = str(o.hash['title']) ?? main.label;
    return s.add({
      kind: 'chart',
      chart: {
        title,
        unit: main.unit,
        series,
        ...(limit !== undefined && limit > 0
          ? { limit: { label: str(o.hash['limitLabel']) ?? 'limit', value: limit } }
          : {}),
      },
    });
  },

  /** `{{growingSites heading="…" max=5}}`: the allocation sites that grew between heap profiles. */
  growingSites: (_a, o, s) => {
    const sites = s.context.growingSites
      .filter((g) => g.inuseBytesDelta > 0)
      .slice(0, num(o.hash['max']) ?? 5);
    if (sites.length === 0) return '';
    const items: Rich[] = sites.map((g) => [
      { kind: 'strong', text: `+${formatBytes(g.inuseBytesDelta)}` },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: g.function },
      ...(g.location
        ? [
            { kind: 'text' as const, text: ' at ' },
            { kind: 'code' as const, text: g.location },
          ]
        : []),
      { kind: 'text', text: ` (${g.kind}; ${formatBytes(g.lastInuseBytes)} in use in the last profile)` },
    ]);
    const heading = str(o.hash['heading']);
    return s.add({ kind: 'list', ...(heading ? { heading } : {}), items });
  },

  /** `{{otherCauses heading="Also detected"}}`: the other fired rules and how they relate. */
  otherCauses: (_a, o, s) => {
    const others = s.context.others;
    if (others.length === 0) return '';
    const top = s.context.cause;
    const items: Rich[] = others.map((c) => {
      const relation = c.consequenceOf
        ? `, a consequence of ${c.consequenceOf}`
        : c.kind === 'contributing'
          ? ', a contributing factor'
          : '';
      // The margin to the top cause, so a close call reads as one.
      const margin = top ? ` against ${top.confidence.toFixed(2)} for ${top.ruleId}` : '';
      return [
        { kind: 'strong', text: c.title },
        {
          kind: 'text',
          text: ` (${c.ruleId}, ${c.severity}${relation}, confidence ${c.confidence.toFixed(2)}${margin})`,
        },
      ];
    });
    const heading = str(o.hash['heading']);
    return s.add({ kind: 'list', ...(heading ? { heading } : {}), items });
  },
};
