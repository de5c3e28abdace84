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
  const vmax = Math.max(...all.map((p) => p.v), chart.limit?.value ?? 0) * 1.08 || 1;
  const vmin = Math.min(0, ...all.map((p) => p.v));
  const x = (t: number) => pad.l + ((t - t0) / Math.max(1, t1 - t0)) * (W - pad.l - pad.r);
  const y = (v: number) => H - pad.b - ((v - vmin) / (vmax - vmin)) * (H - pad.t - pad.b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${xml(chart.title)}">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${pad.l}" y="18" ${FONT} font-size="14" font-weight="bold" fill="#212529">${xml(chart.title)}</text>`,
    `<line x1="${pad.l}" y1="${y(vmin)}" x2="${W - pad.r}" y2="${y(vmin)}" stroke="#adb5bd"/>`,
    `<line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${H - pad.b}" stroke="#adb5bd"/>`,
  ];
  for (const v of [vmin, (vmin + vmax) / 2, vmax / 1.08]) {
    out.push(
      `<text x="${pad.l - 6}" y="${y(v) + 4}" ${FONT} font-size="11" text-anchor="end" fill="#495057">${xml(fmt(v, chart))}</text>`,
    );
  }
  out.push(
    `<text x="${pad.l}" y="${H - pad.b + 16}" ${FONT} font-size="11" fill="#495057">0 s</text>`,
    `<text x="${W - pad.r}" y="${H - pad.b + 16}" ${FONT} font-size="11" text-anchor="end" fill="#495057">+${xml(formatDuration((t1 - t0) / 1000))}</text>`,
  );
  if (chart.limit) {
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
