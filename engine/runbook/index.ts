export { renderRunbook, type RenderRunbookOptions } from './render-runbook.js';
export { validateTemplates, NO_CAUSE_TEMPLATE } from './templates/validate-template-set.js';
export { loadTemplateSet, PARTIALS_DIR } from './templates/load-template-set.js';
export {
  TemplateError,
  TemplateMissingError,
  TemplateRenderError,
  formatTemplateIssue,
  type TemplateIssue,
} from './errors.js';
export type { RunbookTarget, TemplateContext } from './context/template-context.js';
export { formatRunbookText, type TextFormatOptions } from './format/format-text.js';
export { formatRunbookMarkdown } from './format/format-markdown.js';
export { esc as escapeHtml, formatRunbookHtml, type HtmlFormatOptions } from './format/format-html.js';
export { renderChartSvg } from './chart/render-chart-svg.js';
export type * from './types.js';
