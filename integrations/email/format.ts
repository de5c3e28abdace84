import { renderChartPng } from '../../engine/runbook/chart/render-chart-png.js';
import { renderChartSvg } from '../../engine/runbook/chart/render-chart-svg.js';
import { esc, formatRunbookHtml, type HtmlPart } from '../../engine/runbook/format/format-html.js';
import { formatRunbookText } from '../../engine/runbook/format/format-text.js';
import { cleanText } from '../../engine/runbook/render/literal.js';
import type { Runbook } from '../../engine/runbook/types.js';

/** A chart PNG referenced from the HTML as `cid:` (nodemailer's attachment shape). */
export interface EmailAttachment {
  filename: string;
  content: Buffer;
  contentType: 'image/png';
  cid: string;
  contentDisposition: 'inline';
}

export interface EmailPayload {
  subject: string;
  html: string;
  text: string;
  attachments: EmailAttachment[];
}

const MONO = "'SFMono-Regular',Menlo,Consolas,'DejaVu Sans Mono',monospace";
const SANS = "-apple-system,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif";
const WRAP = 'overflow-wrap:anywhere;word-wrap:break-word;word-break:break-word';

/**
 * Inline styles only: Gmail and Outlook drop <style> and classes. Everything wraps (long function
 * names, URLs, commands) so nothing overflows a 360 px phone screen.
 */
const STYLES: Record<HtmlPart, string> = {
  article: `font-family:${SANS};font-size:15px;line-height:1.5;color:#212529;${WRAP}`,
  title: 'font-size:20px;line-height:1.3;margin:8px 0 12px 0;color:#212529',
  meta: 'font-size:13px;color:#6c757d;margin:0 0 4px 0',
  badge:
    'display:inline-block;padding:1px 8px;border-radius:3px;color:#ffffff;font-weight:bold;font-size:12px',
  summary: 'font-size:16px;margin:0 0 16px 0',
  h: 'font-size:16px;margin:20px 0 6px 0;color:#212529',
  p: 'margin:0 0 10px 0',
  ul: 'margin:0 0 10px 0;padding-left:20px',
  ol: 'margin:0 0 10px 0;padding-left:22px',
  li: 'margin:0 0 6px 0',
  code: `font-family:${MONO};font-size:13px;background:#f1f3f5;padding:0 3px;border-radius:3px;${WRAP}`,
  pre: `font-family:${MONO};font-size:12px;line-height:1.45;background:#f1f3f5;border:1px solid #dee2e6;border-radius:4px;padding:8px;margin:6px 0 10px 0;white-space:pre-wrap;${WRAP}`,
  table: 'width:100%;table-layout:fixed;border-collapse:collapse;margin:0 0 10px 0',
  td: `vertical-align:top;padding:4px 6px;border-bottom:1px solid #e9ecef;font-size:14px;${WRAP}`,
  tdKey: `width:34%;vertical-align:top;padding:4px 6px;border-bottom:1px solid #e9ecef;font-size:14px;${WRAP}`,
  a: 'color:#1c7ed6',
  strong: 'font-weight:bold',
  figure: 'margin:8px 0 12px 0',
  ok: 'color:#2b8a3e;font-weight:bold',
  fail: 'color:#c92a2a;font-weight:bold',
};

const SEVERITY_COLOR: Record<Runbook['severity'], string> = {
  critical: '#c92a2a',
  warning: '#e67700',
  info: '#1c7ed6',
};

/** A header value: no line breaks (header injection), no controls, bounded length. */
function subject(rb: Runbook): string {
  const s = cleanText(`[${rb.severity.toUpperCase()}] ${rb.title}`).replace(/\s+/g, ' ').trim();
  return s.length <= 200 ? s : `${s.slice(0, 199)}…`;
}

/**
 * The runbook as an email: HTML with inline styles (charts as PNG attachments referenced by
 * `cid:`, since mail clients do not render inline SVG) and a plain-text part with the same content.
 * Every string from the runbook is HTML-escaped.
 */
export function formatRunbookEmail(rb: Runbook, opts: { maxCharts?: number } = {}): EmailPayload {
  const attachments: EmailAttachment[] = [];
  const max = opts.maxCharts ?? 2;
  const body = formatRunbookHtml(rb, {
    styles: STYLES,
    severityColor: (s) => SEVERITY_COLOR[s],
    chart: (chart, i) => {
      if (i >= max) return '';
      const cid = `chart-${i + 1}.${rb.incidentId.replace(/[^A-Za-z0-9-]/g, '')}@memtriage`;
      attachments.push({
        filename: `chart-${i + 1}.png`,
        content: renderChartPng(renderChartSvg(chart)),
        contentType: 'image/png',
        cid,
        contentDisposition: 'inline',
      });
      return `<img src="cid:${esc(cid)}" alt="${esc(chart.title)}" width="600" style="display:block;width:100%;max-width:600px;height:auto;border:0">`;
    },
  });
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(subject(rb))}</title></head>`,
    '<body style="margin:0;padding:0;background:#f8f9fa">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="width:100%;background:#f8f9fa;table-layout:fixed"><tr><td align="center" style="padding:12px 8px">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="width:100%;max-width:640px;background:#ffffff;border:1px solid #dee2e6;border-radius:6px;table-layout:fixed">',
    `<tr><td style="padding:16px;border-top:4px solid ${SEVERITY_COLOR[rb.severity]}">`,
    body,
    '</td></tr></table>',
    '<p style="font-family:Arial,sans-serif;font-size:12px;color:#868e96;margin:10px 0 0 0">Sent by memtriage</p>',
    '</td></tr></table>',
    '</body></html>',
  ].join('\n');
  return { subject: subject(rb), html, text: formatRunbookText(rb, { width: 78 }), attachments };
}
