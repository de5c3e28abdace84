import { formatDuration, formatFactValue } from '../../format/units.js';
import type { ChartData } from '../types.js';

export const CHART_COLORS = ['#1c7ed6', '#f08c00'] as const;
const LIMIT_COLOR = '#c92a2a';
const FONT = 'font-family="\'DejaVu Sans\',Arial,Helvetica,sans-serif"';

/** Text an XML 1.0 document cannot hold at all, even escaped (a label from a bundle may carry it). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function xml(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const fmt = (v: number, chart: ChartData) => formatFactValue(v, chart.unit);

/**
 * A small line chart as standalone SVG: the series, the limit as a dashed red line, the value
 * range on the left and elapsed time below. Static, no scripts, fixed viewBox so it scales down
 * to a phone; the same SVG becomes the email's PNG.
 */
export function renderChartSvg(
  chart: ChartData,
  size: { width: number; height: number } = { width: 600, height: 220 },
): string {
  const { width: W, height: H } = size;
  const pad = { l: 70, r: 16, t: 30, b: 34 };
  const all = chart.series.flatMap((s) => s.points);
  const t0 = Math.min(...all.map((p) => p.t));
  const t1 = Math.max(...all.map((p) => p.t));
  const axis = valueAxis(
    all.map((p) => p.v),
    chart.limit?.value,
    chart.unit === 'bytes' || chart.unit === 'bytes/s' ? 1024 : 1000,
  );
  const { lo: vmin, hi: vmax } = axis;
  const x = (t: number) => pad.l + ((t - t0) / Math.max(1, t1 - t0)) * (W - pad.l - pad.r);
  const y = (v: number) => H - pad.b - ((v - vmin) / (vmax - vmin)) * (H - pad.t - pad.b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${xml(chart.title)}">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${pad.l}" y="18" ${FONT} font-size="14" font-weight="bold" fill="#212529">${xml(chart.title)}</text>`,
    `<line x1="${pad.l}" y1="${y(vmin)}" x2="${W - pad.r}" y2="${y(vmin)}" stroke="#adb5bd"/>`,
    `<line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${H - pad.b}" stroke="#adb5bd"/>`,
  ];
  for (const v of axis.ticks) {
    out.push(
      `<text x="${pad.l - 6}" y="${y(v) + 4}" ${FONT} font-size="11" text-anchor="end" fill="#495057">${xml(fmt(v, chart))}</text>`,
    );
  }
  out.push(
    `<text x="${pad.l}" y="${H - pad.b + 16}" ${FONT} font-size="11" fill="#495057">0 s</text>`,
    `<text x="${W - pad.r}" y="${H - pad.b + 16}" ${FONT} font-size="11" text-anchor="end" fill="#495057">+${xml(formatDuration((t1 - t0) / 1000))}</text>`,
  );
  if (chart.limit && !axis.limitShown) {
    // A limit far above the data would flatten it against the floor: named, not drawn.
    out.push(
      `<text x="${W - pad.r}" y="${pad.t - 4}" ${FONT} font-size="11" text-anchor="end" fill="${LIMIT_COLOR}">${xml(`${chart.limit.label} ${fmt(chart.limit.value, chart)} (above the chart)`)}</text>`,
    );
  }
  if (chart.limit && axis.limitShown) {
    const ly = y(chart.limit.value);
    out.push(
      `<line x1="${pad.l}" y1="${ly}" x2="${W - pad.r}" y2="${ly}" stroke="${LIMIT_COLOR}" stroke-dasharray="6 4" stroke-width="1.5"/>`,
      `<text x="${W - pad.r}" y="${ly - 5}" ${FONT} font-size="11" text-anchor="end" fill="${LIMIT_COLOR}">${xml(`${chart.limit.label} ${fmt(chart.limit.value, chart)}`)}</text>`,
    );
  }
  chart.series.forEach((s, i) => {
    const pts = s.points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
    const color = CHART_COLORS[i % CHART_COLORS.length]!;
    out.push(
      `<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>`,
    );
    const lx = pad.l + 8 + i * 190;
    out.push(
      `<rect x="${lx}" y="${H - 12}" width="12" height="3" fill="${color}"/>`,
      `<text x="${lx + 16}" y="${H - 7}" ${FONT} font-size="11" fill="#495057">${xml(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

/**
 * The value axis: round ticks (1, 2 or 5 × a power of ten, in the unit's prefix: KiB/MiB/GiB for
 * bytes) spanning the data, so the change is what fills the chart. The axis starts at 0 unless the
 * data moves by less than a quarter of its level (then a flat-looking line near the top would hide
 * it); the limit is inside the axis only when it is at most 2.5 × the data's peak and the data still
 * spans a fifth of the axis with it (else the chart names it above).
 */
export function valueAxis(
  values: readonly number[],
  limit: number | undefined,
  base: 1000 | 1024,
): { lo: number; hi: number; ticks: number[]; limitShown: boolean } {
  let dataLo = Math.min(...values);
  let dataHi = Math.max(...values);
  if (!Number.isFinite(dataLo) || !Number.isFinite(dataHi)) {
    dataLo = 0;
    dataHi = 1;
  }
  let lo = dataLo < 0 || dataHi - dataLo >= 0.25 * Math.abs(dataHi) ? Math.min(0, dataLo) : dataLo;
  // The limit joins the axis when the data would still fill a fifth of it.
  const limitShown =
    limit !== undefined &&
    limit > 0 &&
    limit <= 2.5 * Math.max(dataHi, 0) &&
    dataHi - dataLo >= 0.2 * (limit - lo);
  let hi = limitShown ? Math.max(dataHi, limit) : dataHi;
  if (hi <= lo) hi = lo + (Math.abs(lo) || 1);
  const scale = hi > 0 ? base ** Math.max(0, Math.floor(Math.log(hi) / Math.log(base))) : 1;
  const step = niceStep((hi - lo) / scale / 4) * scale;
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  if (hi - lo < step) hi = lo + step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return { lo, hi, ticks, limitShown };
}

/** The smallest of 1, 2, 5 × 10^k at least `raw`. */
function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}
