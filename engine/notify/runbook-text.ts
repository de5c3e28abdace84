import { formatDuration } from '../format/units.js';
import { runbookLinks } from '../runbook/links/incident-links.js';
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
    ...runbookLinks(rb).map(([label, url]) => `${label}: ${url}`),
    richText(rb.summary),
  ];
  for (const b of rb.blocks) lines.push('', ...blockText(b));
  return lines.join('\n');
}

/** `2026-11-25 10:42:00 UTC`: an explicit zone, second precision. */
export function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

/** A timestamp worth showing: parses, and is not Alertmanager's zero time (0001-01-01). */
function instant(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms > Date.UTC(2000, 0, 1) ? ms : undefined;
}

/**
 * The one-line follow-up every channel posts on resolve: how long the incident lasted, and when
 * it fired and resolved (UTC). The start is the alert's `startsAt` (else when memtriage received it).
 */
export function resolveNote(input: RenderInput): string {
  const resolved = instant(input.resolvedAt);
  const started = instant(input.runbook.startsAt) ?? instant(input.receivedAt);
  const lasted =
    started !== undefined && resolved !== undefined && resolved >= started
      ? ` after ${formatDuration((resolved - started) / 1000)}`
      : '';
  const parts = [
    ...(started !== undefined ? [`fired ${utcTime(started)}`] : []),
    `resolved ${resolved !== undefined ? utcTime(resolved) : 'now'}`,
    ...(input.repeats ? [`${input.repeats} repeat notification${input.repeats === 1 ? '' : 's'}`] : []),
  ];
  return `Resolved${lasted}: ${input.runbook.title} (${parts.join(', ')}).`;
}
