import { Resvg } from '@resvg/resvg-js';

/**
 * The chart SVG as PNG (for email, where clients do not show inline SVG), at 2× for sharp
 * phone screens. The only importer of @resvg/resvg-js. Text needs a system font; DejaVu Sans
 * is Debian's default, and without any font the lines still render.
 */
export function renderChartPng(svg: string, width = 1200): Buffer {
  const r = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}
