import { createRequire } from 'node:module';
import type * as Resvg from '@resvg/resvg-js';

let resvg: typeof Resvg | undefined;

/**
 * The chart SVG as PNG (for email, where clients do not show inline SVG), at 2× for sharp
 * phone screens. The only importer of @resvg/resvg-js, loaded on the first call: its native addon
 * costs every CLI start that formats a runbook (diagnose imports the email formatter) about 70 ms
 * otherwise. Text needs a system font; DejaVu Sans is Debian's default, and without any font the
 * lines still render.
 */
export function renderChartPng(svg: string, width = 1200): Buffer {
  resvg ??= createRequire(import.meta.url)('@resvg/resvg-js') as typeof Resvg;
  const r = new resvg.Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}
