import type { FactUnit, FactValue } from '../facts/types.js';
import { formatFactValue } from '../format/units.js';
import type { ConditionNode } from '../rules/types.js';
import type { DiagnosisEvidence, RuleExplanation } from './types.js';

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

/** The comparison as people read it: `> 256KiB`, `≥ 0.8`, `present`. */
export function comparisonText(e: Pick<DiagnosisEvidence, 'op' | 'threshold'>): string {
  return e.op === 'present' || e.op === 'absent' ? OP_TEXT[e.op] : `${OP_TEXT[e.op]} ${e.threshold}`;
}

function mark(passed: boolean | null): string {
  return passed === null ? '?' : passed ? '✓' : '✗';
}

function value(v: FactValue | undefined, unit: FactUnit): string {
  return v === undefined ? 'no data' : formatFactValue(v, unit);
}

export function formatEvidence(e: DiagnosisEvidence): string {
  const cmp = comparisonText(e);
  return `${mark(e.passed)} ${e.fact} = ${value(e.value, e.unit)}  (${cmp})`;
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
