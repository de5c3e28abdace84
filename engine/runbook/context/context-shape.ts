/**
 * The shape of the template context, for the static check of field references. Handlebars'
 * strict mode only catches a missing field when that line renders, and not inside helper
 * arguments or `{{#if}}` at all; checking paths against this shape at load catches every
 * misspelt field in every branch, with its file:line.
 */
export type Shape =
  | { readonly t: 'scalar' }
  | { readonly t: 'object'; readonly fields: Readonly<Record<string, Shape>> }
  /** Any key (alert labels): a lookup of a key the alert lacks renders empty. */
  | { readonly t: 'record' }
  | { readonly t: 'array'; readonly of: Shape };

const scalar: Shape = { t: 'scalar' };
const record: Shape = { t: 'record' };
const object = (fields: Record<string, Shape>): Shape => ({ t: 'object', fields });
const array = (of: Shape): Shape => ({ t: 'array', of });

const EVIDENCE = object({ fact: scalar, label: scalar, value: scalar, comparison: scalar, passed: scalar });

export const CAUSE_SHAPE = object({
  ruleId: scalar,
  title: scalar,
  severity: scalar,
  kind: scalar,
  confidence: scalar,
  description: scalar,
  consequenceOf: scalar,
  evidence: array(EVIDENCE),
});

const SITE = object({
  function: scalar,
  location: scalar,
  kind: scalar,
  inuseBytesDelta: scalar,
  lastInuseBytes: scalar,
});

const COMMON: Record<string, Shape> = {
  incident: object({
    id: scalar,
    source: scalar,
    service: scalar,
    status: scalar,
    startsAt: scalar,
    generatorURL: scalar,
    labels: record,
    annotations: record,
  }),
  alert: object({ name: scalar, summary: scalar, description: scalar }),
  target: object({
    service: scalar,
    instance: scalar,
    instanceLabel: scalar,
    pid: scalar,
    cgroup: scalar,
    runtime: scalar,
    runtimeVersion: scalar,
    limitBytes: scalar,
    cgroupVersion: scalar,
  }),
  outcome: scalar,
  causes: array(CAUSE_SHAPE),
  others: array(CAUSE_SHAPE),
  collectNext: array(scalar),
  missingSources: array(object({ source: scalar, reason: scalar })),
  growingSites: array(SITE),
  topSite: SITE,
  warnings: scalar,
  inputProblems: array(scalar),
  acquisition: object({ target: scalar, problems: array(scalar) }),
  group: object({
    size: scalar,
    others: array(object({ id: scalar, name: scalar, status: scalar, url: scalar })),
  }),
};

/** Context of a rule's template: `cause` is the fired rule the runbook is about. */
export const RULE_CONTEXT_SHAPE = object({ ...COMMON, cause: CAUSE_SHAPE });

/** Context of `no-cause` (healthy / inconclusive): there is no `cause`. */
export const NO_CAUSE_CONTEXT_SHAPE = object(COMMON);

/** Field names of a shape, for "did you mean" hints. */
export function fieldNames(shape: Shape): string[] {
  return shape.t === 'object' ? Object.keys(shape.fields) : [];
}
