import { describe, expect, it } from 'vitest';
import { downsample } from '../../../engine/runbook/chart/chart-series.js';
import { renderChartPng } from '../../../engine/runbook/chart/render-chart-png.js';
import { renderChartSvg, valueAxis } from '../../../engine/runbook/chart/render-chart-svg.js';
import { chartSparklines, sparkline } from '../../../engine/runbook/chart/sparkline.js';
import type { ChartData } from '../../../engine/runbook/types.js';
import { MiB, series } from '../../fixtures/runbook/hand-diagnoses.js';

const chart: ChartData = {
  title: 'Live heap <after> GC & "goal"',
  unit: 'bytes',
  series: [
    { name: 'live heap after GC', points: series([0, 12, 28, 56, 99, 88], 11, MiB) },
    { name: 'GC heap goal', points: series([4, 24, 56, 112, 199, 199], 11, MiB) },
  ],
  limit: { label: 'container limit', value: 256 * MiB },
};

describe('charts', () => {
  it('SVG: one line per series, a dashed limit line, escaped text', () => {
    const svg = renderChartSvg(chart);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).toContain('container limit 256 MiB');
    expect(svg).toContain('Live heap &#60;after&#62; GC &#38; &#34;goal&#34;');
    expect(svg).not.toContain('<after>');
    expect(svg).toContain('+55 s');
  });

  it('a label with characters XML cannot hold still renders (they become U+FFFD)', () => {
    const hostile: ChartData = { ...chart, title: 'NMT Meta\u0001space\uFFFE committed\uD800' };
    const svg = renderChartSvg(hostile);
    expect(svg).toContain('NMT Meta\uFFFDspace\uFFFD committed\uFFFD');
    expect(renderChartPng(svg).subarray(1, 4).toString()).toBe('PNG');
  });

  it('PNG: rendered from the same SVG at 2×', () => {
    const png = renderChartPng(renderChartSvg(chart));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBe(1200); // IHDR width
    expect(png.readUInt32BE(20)).toBe(440); // 220 × 2
  });

  it('sparklines: bars scaled to the limit, with first, last and peak', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, 50], 24, 100)).toBe('▁▅');
    expect(sparkline([])).toBe('');
    expect(chartSparklines(chart)[0]).toMatch(
      /^live heap after GC [▁-█]{6} 0 B → 88\.0 MiB, peak 99\.0 MiB \(container limit 256 MiB\)$/,
    );
  });

  it('downsampling keeps the first, the last and every bucket peak', () => {
    const pts = Array.from({ length: 1000 }, (_, i) => ({ t: i, v: i === 501 ? 10_000 : i }));
    const d = downsample(pts, 120);
    expect(d.length).toBeLessThanOrEqual(120);
    expect(d[0]).toEqual(pts[0]);
    expect(d[d.length - 1]).toEqual(pts[999]);
    expect(d.some((p) => p.v === 10_000)).toBe(true);
  });
});

describe('the value axis', () => {
  it('zooms on a small change instead of drawing it flat at 0, with round ticks in the unit', () => {
    // 100 → 104 MiB over 10 s under a 256 MiB limit: the change fills the chart, the limit is named above it
    const a = valueAxis([100 * MiB, 101 * MiB, 103 * MiB, 104 * MiB], 256 * MiB, 1024);
    expect(a.ticks.map((v) => v / MiB)).toEqual([100, 101, 102, 103, 104]);
    expect(a.limitShown).toBe(false);
    const svg = renderChartSvg({
      title: 'RSS',
      unit: 'bytes',
      series: [{ name: 'rss', points: [0, 1, 2, 3].map((i) => ({ t: i * 3000, v: (100 + i * 1.3) * MiB })) }],
      limit: { value: 256 * MiB, label: 'container limit' },
    });
    expect(svg).toContain('container limit 256 MiB (above the chart)');
    expect(svg).not.toContain('stroke-dasharray');
  });

  it('starts at 0 for real growth and draws a limit that is near enough', () => {
    const a = valueAxis([10 * MiB, 88 * MiB], 200 * MiB, 1024);
    expect(a.ticks.map((v) => v / MiB)).toEqual([0, 50, 100, 150, 200]);
    expect(a.limitShown).toBe(true);
    expect(valueAxis([10 * MiB, 88 * MiB], 1024 * MiB, 1024).limitShown).toBe(false);
    expect(valueAxis([0.2, 0.5, 0.9], undefined, 1000).ticks).toEqual([0, 0.5, 1]);
    expect(valueAxis([], undefined, 1000).ticks.length).toBeGreaterThan(1);
  });
});
