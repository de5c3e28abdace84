import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { factIds } from '../../engine/facts/catalogue.js';
import { casesJsonSchema, ruleJsonSchema } from '../../engine/rules/json-schema.js';
import { loadRuleFile } from '../../engine/rules/load-rule-file.js';
import { COMPARISON_OPS } from '../../engine/rules/operators.js';
import { CasesFileSchema, RuleFileSchema } from '../../engine/rules/rule-schema.js';
import { validate } from './helpers/json-schema-validate.js';

/**
 * The JSON Schemas in schema/ are generated from the zod shapes the loader uses. These tests check
 * the committed files are current, that they list exactly the catalogue's facts and the loader's
 * operators, and that the shipped schema and the loader's structural pass agree, file by file, on
 * every shipped rule, every good fixture and every file of the broken corpus.
 */
const committed = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join('schema', file), 'utf8')) as Record<string, unknown>;

function findFiles(dir: string, name: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) return findFiles(p, name);
    return e === name ? [p] : [];
  });
}

/** Files yaml can parse into a value: schema agreement is about structure, not YAML syntax. */
function parsed(file: string): { value: unknown } | undefined {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  if (doc.errors.length > 0 || doc.contents === null) return undefined;
  return { value: doc.toJS() as unknown };
}

const ROOTS = ['rules', 'test/fixtures/rules'];
const ruleFiles = ROOTS.flatMap((r) => findFiles(r, 'rule.yaml'));
const casesFiles = ROOTS.flatMap((r) => findFiles(r, 'cases.yaml'));

describe('schema/*.schema.json', () => {
  it('are what scripts/gen-schema.ts generates from the zod shapes (run it after changing them)', () => {
    expect(committed('rule.schema.json')).toEqual(ruleJsonSchema());
    expect(committed('cases.schema.json')).toEqual(casesJsonSchema());
  });

  it('list exactly the fact catalogue, the operators and the severities', () => {
    const schema = ruleJsonSchema() as {
      properties: { severity: { enum: string[] }; kind: { enum: string[] } };
      $defs: { condition: { anyOf: { properties: Record<string, { enum?: string[] }> }[] } };
    };
    const comparison = schema.$defs.condition.anyOf[3]?.properties ?? {};
    expect(comparison.fact?.enum).toEqual(factIds());
    expect(Object.keys(comparison)).toEqual(['fact', ...COMPARISON_OPS]);
    expect(schema.$defs.condition.anyOf.slice(0, 3).map((b) => Object.keys(b.properties))).toEqual([
      ['all'],
      ['any'],
      ['not'],
    ]);
    expect(schema.properties.severity.enum).toEqual(['info', 'warning', 'critical']);
    expect(schema.properties.kind.enum).toEqual(['cause', 'contributing', 'symptom']);
  });

  it('say "fact plus exactly one operator" in JSON Schema terms', () => {
    const leaf = (ruleJsonSchema() as { $defs: { condition: { anyOf: Record<string, unknown>[] } } }).$defs
      .condition.anyOf[3];
    expect(leaf).toMatchObject({
      required: ['fact'],
      additionalProperties: false,
      minProperties: 2,
      maxProperties: 2,
    });
  });

  it('has files to compare: shipped rules (if any), good fixtures and the broken corpus', () => {
    expect(ruleFiles.length).toBeGreaterThanOrEqual(45);
    expect(casesFiles.length).toBeGreaterThanOrEqual(3);
    const verdicts = ruleFiles
      .map(parsed)
      .filter((p) => p !== undefined)
      .map((p) => validate(ruleJsonSchema(), p.value).length === 0);
    // Both sides of the agreement get exercised.
    expect(verdicts.filter((ok) => ok).length).toBeGreaterThanOrEqual(20);
    expect(verdicts.filter((ok) => !ok).length).toBeGreaterThanOrEqual(15);
  });

  it.each(ruleFiles)('rule schema and loader agree on %s', (file) => {
    const p = parsed(file);
    if (!p) return; // YAML syntax errors: neither validator sees a value
    const schemaOk = validate(ruleJsonSchema(), p.value).length === 0;
    const zodOk = RuleFileSchema.safeParse(p.value).success;
    expect(schemaOk).toBe(zodOk);
    // And the loader never accepts what the schema rejects.
    const folder = dirname(file);
    const loaded = loadRuleFile(
      file,
      readFileSync(file, 'utf8'),
      { name: basename(folder), dir: folder },
      () => true,
    );
    if (!schemaOk) expect(loaded.issues.length).toBeGreaterThan(0);
  });

  it.each(casesFiles)('cases schema and loader agree on %s', (file) => {
    const p = parsed(file);
    if (!p) return;
    expect(validate(casesJsonSchema(), p.value).length === 0).toBe(
      CasesFileSchema.safeParse(p.value).success,
    );
  });

  it('rejects the classic mistakes (the validator is not vacuous)', () => {
    const schema = ruleJsonSchema();
    const base = { id: 'x', title: 'X', severity: 'info', runbook: 'x' };
    const leaf = { fact: 'memstats.heapInuseBytes', gt: '1GiB' };
    expect(validate(schema, { ...base, when: { all: [leaf] } })).toEqual([]);
    expect(validate(schema, { ...base, when: { all: [] } })).not.toEqual([]);
    expect(validate(schema, { ...base, when: { fact: 'memstats.heapInuseBytes' } })).not.toEqual([]);
    expect(validate(schema, { ...base, when: { ...leaf, lt: 2 } })).not.toEqual([]);
    expect(validate(schema, { ...base, when: { fact: 'nope', gt: 1 } })).not.toEqual([]);
    expect(validate(schema, { ...base, when: leaf, extra: 1 })).not.toEqual([]);
    expect(validate(schema, { ...base, severity: 'high', when: leaf })).not.toEqual([]);
  });
});
