import type { Block, Rich, Runbook } from '../runbook/types.js';
import type { RenderInput } from './types.js';

/**
 * Plain-text rendering of a Runbook for the stdout and file channels, and the `text` part that
 * Slack and email carry as fallback. A thin seam: when engine/runbook's `formatRunbook(runbook,
 * 'text')` lands, this delegates to it.
 */
export function richText(r: Rich): string {
  return r
    .map((s) => (s.kind === 'code' ? `\`${s.text}\`` : s.kind === 'link' ? `${s.text} <${s.url}>` : s.text))
    .join('');
}

function blockText(b: Block): string[] {
  const head = b.heading ? [`## ${b.heading}`] : [];
  switch (b.kind) {
    case 'text':
      return [...head, ...b.paragraphs.map(richText)];
    case 'list':
      return [...head, ...b.items.map((i) => `- ${richText(i)}`)];
    case 'evidence':
      return [
        ...head,
        ...b.rows.map(
          (r) =>
            `- ${r.passed === true ? '✓' : r.passed === false ? '✗' : '?'} ${r.label}: ${r.value} (${r.comparison})`,
        ),
      ];
    case 'steps':
      return [
        ...head,
        ...b.steps.flatMap((s, i) => [`${i + 1}. ${richText(s.text)}`, ...(s.code ? [s.code.code] : [])]),
      ];
    case 'code':
      return [...head, b.code];
    case 'links':
      return [...head, ...b.links.map((l) => `- ${l.label}: ${l.url}`)];
    case 'chart':
      return [...head, `(chart: ${b.chart.title})`];
  }
}

export function runbookText(rb: Runbook): string {
  const lines = [
    `# ${rb.title}`,
    `severity: ${rb.severity} · status: ${rb.status} · incident ${rb.incidentId}`,
    richText(rb.summary),
  ];
  for (const b of rb.blocks) lines.push('', ...blockText(b));
  return lines.join('\n');
}

/** The one-line follow-up every channel posts on resolve. */
export function resolveNote(input: RenderInput): string {
  const when = input.resolvedAt ?? 'now';
  const repeats = input.repeats
    ? ` after ${input.repeats} repeat notification${input.repeats === 1 ? '' : 's'}`
    : '';
  return `Resolved: ${input.runbook.title} (resolved at ${when}${repeats}).`;
}
