import type { FactUnit, FactValue } from '../facts/types.js';
import { formatFactValue } from '../format/units.js';
import type { ConditionNode } from '../rules/types.js';
import type { Cause, Diagnosis, DiagnosisEvidence, RuleExplanation } from './types.js';

export type DiagnosisTextFormat = 'text' | 'markdown';

const OP_TEXT: Record<DiagnosisEvidence['op'], string> = {
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  eq: '=',
  ne: '≠',
  in: 'in',
  between: 'between',
  present: 'present',
  absent: 'absent',
};

function mark(passed: boolean | null): string {
  return passed === null ? '?' : passed ? '✓' : '✗';
}

function value(v: FactValue | undefined, unit: FactUnit): string {
  return v === undefined ? 'no data' : formatFactValue(v, unit);
}

export function formatEvidence(e: DiagnosisEvidence): string {
  const cmp = e.op === 'present' || e.op === 'absent' ? OP_TEXT[e.op] : `${OP_TEXT[e.op]} ${e.threshold}`;
  return `${mark(e.passed)} ${e.fact} = ${value(e.value, e.unit)}  (${cmp})`;
}

/** A diagnosis for the terminal (text) or for a ticket/PR (CommonMark). */
export function formatDiagnosis(d: Diagnosis, format: DiagnosisTextFormat): string {
  const md = format === 'markdown';
  const h = (text: string) => (md ? `## ${text}` : text.toUpperCase());
  const li = (text: string, depth = 0) =>
    `${'  '.repeat(depth)}${md ? '- ' : '  '}${md ? text.replace(/([*_`])/g, '\\$1') : text}`;
  const lines: string[] = [];
  const who = d.incident.service ? `${d.incident.service} — ` : '';
  lines.push(md ? `# memtriage: ${who}${d.incident.id}` : `memtriage: ${who}${d.incident.id}`, '');

  if (d.causes.length === 0) {
    lines.push(
      h(
        d.outcome === 'healthy' ? 'No cause found: the bundle looks healthy' : 'No cause found: inconclusive',
      ),
      '',
    );
    if (d.collectNext.length > 0) {
      lines.push(md ? '**Collect next:**' : 'Collect next:');
      for (const c of d.collectNext) lines.push(li(c));
      lines.push('');
    }
  }
  d.causes.forEach((c, i) => lines.push(...formatCause(c, i, md, li), ''));

  if (d.growingSites.length > 0) {
    lines.push(h('Allocation sites that grew'), '');
    for (const s of d.growingSites.slice(0, 5)) {
      lines.push(
        li(
          `+${formatFactValue(s.inuseBytesDelta, 'bytes')}  ${s.function}${s.location ? ` (${s.location})` : ''} [${s.kind}]`,
        ),
      );
    }
    lines.push('');
  }
  if (d.missingSources.length > 0) {
    lines.push(h('Missing sources'), '');
    for (const m of d.missingSources) lines.push(li(`${m.source}: ${m.reason}`));
    lines.push('');
  }
  if (d.explain) {
    lines.push(h('Explain: every rule'), '');
    for (const r of d.explain) lines.push(...formatExplanation(r, md), '');
  }
  if (d.warnings.length > 0) lines.push(`${d.warnings.length} parser warning(s); see \`memtriage facts\`.`);
  return `${lines.join('\n').trimEnd()}\n`;
}

function formatCause(c: Cause, i: number, md: boolean, li: (t: string, d?: number) => string): string[] {
  const role =
    c.kind === 'symptom' && c.consequenceOf
      ? `consequence of ${c.consequenceOf}`
      : i === 0
        ? 'top cause'
        : 'also';
  const head = `${c.severity.toUpperCase()} ${c.ruleId}: ${c.title} (${role}, confidence ${c.confidence.toFixed(2)})`;
  const out = [md ? `## ${head}` : head];
  if (c.description) out.push(md ? `\n${c.description}\n` : `  ${c.description}`);
  for (const e of c.evidence) out.push(li(formatEvidence(e)));
  out.push(li(`runbook: ${c.runbook}`));
  return out;
}

/** One rule's evaluated condition tree, indented, as a person debugging the rule wants to see it. */
export function formatExplanation(r: RuleExplanation, md = false): string[] {
  const heading = `${r.ruleId}: ${r.fired ? 'FIRED' : r.status === 'missing' ? 'UNDECIDED (missing data)' : 'did not fire'}`;
  const out: string[] = [];
  const walk = (n: ConditionNode, depth: number) => {
    const pad = '  '.repeat(depth + 1);
    const status = n.status === 'missing' ? '?' : n.status === 'passed' ? '✓' : '✗';
    if (n.type === 'comparison') {
      out.push(
        `${pad}${formatEvidence({ fact: n.fact, unit: n.unit, ...(n.value !== undefined ? { value: n.value } : {}), op: n.op, threshold: n.threshold, passed: n.status === 'missing' ? null : n.status === 'passed' })}  [${n.location.file.split('/').slice(-2).join('/')}:${n.location.line}]`,
      );
    } else if (n.type === 'not') {
      out.push(`${pad}${status} not:`);
      walk(n.child, depth + 1);
    } else {
      out.push(`${pad}${status} ${n.type}:`);
      for (const child of n.children) walk(child, depth + 1);
    }
  };
  walk(r.conditions, 0);
  return md ? [`### ${heading}`, '', '```', ...out, '```'] : [heading, ...out];
}
