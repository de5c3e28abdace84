import { getFactDefinition } from '../facts/catalogue.js';
import type { FactValue } from '../facts/types.js';
import { RuleEvalError } from './errors.js';
import { isNumericUnit } from './operators.js';
import type { ConditionNode, ConditionStatus, Evidence } from './types.js';

/**
 * Kleene's three-valued logic over child statuses: `missing` is "unknown". An `all` with one failed
 * child has failed whatever the missing ones say; an `any` with one passed child has passed.
 */
export function groupStatus(type: 'all' | 'any', children: readonly ConditionStatus[]): ConditionStatus {
  const decisive = type === 'all' ? 'failed' : 'passed';
  if (children.includes(decisive)) return decisive;
  if (children.includes('missing')) return 'missing';
  return type === 'all' ? 'passed' : 'failed';
}

export function notStatus(child: ConditionStatus): ConditionStatus {
  return child === 'missing' ? 'missing' : child === 'passed' ? 'failed' : 'passed';
}

export function leaves(node: ConditionNode, into: Evidence[] = []): Evidence[] {
  if (node.type === 'comparison') into.push(node);
  else if (node.type === 'not') leaves(node.child, into);
  else for (const c of node.children) leaves(c, into);
  return into;
}

/**
 * The comparisons that decided a passed condition: every child of an `all`, only the passed
 * branches of an `any`. A comparison that held inside a branch that failed decided nothing (GC
 * rate above 2/s inside a branch whose GC CPU was too low), and a `not` held because what is inside
 * it failed, so nothing inside it is listed.
 */
export function decidingLeaves(node: ConditionNode, into: Evidence[] = []): Evidence[] {
  if (node.status !== 'passed') return into;
  if (node.type === 'comparison') into.push(node);
  else if (node.type !== 'not') for (const c of node.children) decidingLeaves(c, into);
  return into;
}

type Kind = 'number' | 'boolean' | 'string';

/** The JS type each named fact must have, from its catalogue unit; computed once per compiled rule set. */
export function factKinds(ids: readonly string[]): readonly (readonly [string, Kind])[] {
  return ids.map((id) => {
    const unit = getFactDefinition(id)?.unit ?? 'string';
    return [id, isNumericUnit(unit) ? 'number' : unit === 'boolean' ? 'boolean' : 'string'] as const;
  });
}

/**
 * The facts the rules name, checked against the catalogue's units. json-rules-engine reads a string
 * where a number belongs as a plain `false` (numberValidator), so a mistyped fact would look like
 * "did not fire"; this makes it an error instead. `null` counts as absent.
 */
export function pickFacts(
  kinds: readonly (readonly [string, Kind])[],
  facts: Readonly<Record<string, FactValue>>,
): Record<string, FactValue> {
  const out: Record<string, FactValue> = {};
  for (let i = 0; i < kinds.length; i++) {
    const [id, kind] = kinds[i] as readonly [string, Kind];
    const v = facts[id] as FactValue | null | undefined;
    if (v === undefined || v === null) continue;
    if (typeof v !== kind || Number.isNaN(v)) {
      throw new RuleEvalError(
        `fact ${id} is ${typeof v} ${JSON.stringify(v)}, but the catalogue declares it as ${getFactDefinition(id)?.unit ?? 'unknown'}`,
      );
    }
    out[id] = v;
  }
  return out;
}
