import { z } from 'zod';
import { factIds } from '../facts/catalogue.js';
import { COMPARISON_OPS } from './operators.js';

/**
 * The one definition of the YAML shapes. The loader validates with it (strict objects, so an unknown
 * key anywhere is an error) and `json-schema.ts` turns it into `schema/rule.schema.json` and
 * `schema/cases.schema.json` for editors. Units and fact/operator compatibility need the catalogue,
 * so `check-conditions.ts` checks those after this structural pass.
 */

/** Kebab-case: rule ids are folder names and runbook ids are template file names (`templates/<id>.hbs`). */
export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const Id = z.string().regex(ID_PATTERN, 'must be kebab-case (a-z, 0-9, single dashes)');

const Quantity = z
  .union([z.number(), z.string()])
  .describe('A number in the fact unit, or a quantity: 256KiB, 1.5GiB, 256KiB/s, 80%, 250ms, 5m, 1h30m.');
const Scalar = z.union([z.number(), z.string(), z.boolean()]);

const FactId = z
  .enum(factIds() as [string, ...string[]])
  .describe(
    'A fact from the fact catalogue (engine/facts/catalogue.ts); `memtriage facts --format table` lists them.',
  );

const operatorCount = (v: object): number => COMPARISON_OPS.filter((op) => op in v).length;
const isObject = (p: { value: unknown }): boolean => typeof p.value === 'object' && p.value !== null;

export const ComparisonSchema = z
  .strictObject({
    fact: FactId,
    gt: Quantity.optional(),
    gte: Quantity.optional(),
    lt: Quantity.optional(),
    lte: Quantity.optional(),
    eq: Scalar.optional(),
    ne: Scalar.optional(),
    in: z
      .array(z.union([z.number(), z.string()]))
      .min(1)
      .optional(),
    between: z.tuple([Quantity, Quantity]).describe('[low, high], both inclusive.').optional(),
    present: z.literal(true).optional(),
    absent: z.literal(true).optional(),
  })
  // `fact` plus exactly one operator, said in JSON Schema terms (the refinements below are zod's side).
  .meta({ minProperties: 2, maxProperties: 2, description: 'One fact and exactly one operator.' })
  .refine((v) => operatorCount(v) > 0, {
    message: 'no operator',
    params: { mtCode: 'no-operator' },
    when: isObject,
  })
  .refine((v) => operatorCount(v) < 2, {
    message: 'more than one operator',
    params: { mtCode: 'multiple-operators' },
    when: isObject,
  });

export type RawComparison = z.infer<typeof ComparisonSchema>;
export type RawCondition =
  RawComparison | { all: RawCondition[] } | { any: RawCondition[] } | { not: RawCondition };

export const ConditionSchema: z.ZodType<RawCondition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(ConditionSchema).min(1).describe('Every condition holds.') }),
    z.strictObject({ any: z.array(ConditionSchema).min(1).describe('At least one condition holds.') }),
    z.strictObject({ not: ConditionSchema }),
    ComparisonSchema,
  ]),
);
// Names the recursive definition in the generated JSON Schema (`#/$defs/condition`, not `__schema0`).
z.globalRegistry.add(ConditionSchema, { id: 'condition' });

export const RuleFileSchema = z
  .strictObject({
    id: Id.describe('Equals the rule folder name.'),
    title: z.string().min(1),
    severity: z.enum(['info', 'warning', 'critical']),
    kind: z
      .enum(['cause', 'contributing', 'symptom'])
      .optional()
      .describe(
        'cause (default), contributing (a condition that makes a cause hurt sooner, e.g. no GOMEMLIMIT: ranks below any fired cause) or symptom (ranks below both, as the consequence of the top cause).',
      ),
    fallback: z
      .boolean()
      .optional()
      .describe(
        'A generic finding (unexplained growth): reported only when no rule without `fallback` fired, so it never sits beside the specific cause that explains it.',
      ),
    severityFromAlert: z
      .boolean()
      .optional()
      .describe(
        'Take the severity of the alert (its `severity` label: critical, warning or info) when it has one; `severity` otherwise.',
      ),
    confidence: z.number().min(0).max(1).optional().describe('Prior confidence 0–1; default 0.8.'),
    runbook: Id.describe('Template id: templates/<runbook>.hbs must exist.'),
    description: z.string().optional(),
    when: ConditionSchema,
  })
  .meta({ title: 'memtriage rule (rule.yaml)' });

export type RawRule = z.infer<typeof RuleFileSchema>;

const CaseFields = {
  name: z.string().min(1),
  bundle: z.string().min(1).describe('Incident bundle directory, relative to the folder of this cases.yaml.'),
};

export const FiresCaseSchema = z.strictObject({
  ...CaseFields,
  topCause: z.boolean().optional().describe('The rule must also be the top-ranked cause for this bundle.'),
});
export const NotFiresCaseSchema = z.strictObject(CaseFields);

export const CasesFileSchema = z
  .strictObject({
    fires: z.array(FiresCaseSchema).optional().describe('Bundles on which the rule must fire.'),
    doesNotFire: z.array(NotFiresCaseSchema).optional().describe('Bundles on which the rule must not fire.'),
  })
  .meta({ title: 'memtriage rule test cases (cases.yaml)' });

export type RawCases = z.infer<typeof CasesFileSchema>;

/** Allowed keys per kind of mapping, for "did you mean" on unknown keys. */
export const KEYS = {
  rule: Object.keys(RuleFileSchema.shape),
  comparison: ['fact', ...COMPARISON_OPS],
  group: ['all', 'any', 'not'],
  cases: Object.keys(CasesFileSchema.shape),
  firesCase: Object.keys(FiresCaseSchema.shape),
  notFiresCase: Object.keys(NotFiresCaseSchema.shape),
} as const;
