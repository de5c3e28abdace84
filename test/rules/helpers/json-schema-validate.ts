import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';

/**
 * The committed JSON Schemas (draft 2020-12) checked with ajv 8, the validator editors and CI tools
 * use, in strict mode: a keyword ajv does not know fails the test instead of being ignored (union
 * types such as `"type": ["number", "string"]` are standard and allowed).
 */
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
/** By `$id`: the generator returns a fresh object per call, and ajv holds one schema per id. */
const compiled = new Map<string, ValidateFunction>();

/** The problems of `value` against `schema` as `path: message` lines; empty when it is valid. */
export function validate(schema: Record<string, unknown>, value: unknown): string[] {
  const id = String(schema['$id']);
  let fn = compiled.get(id);
  if (fn === undefined) {
    fn = ajv.compile(schema);
    compiled.set(id, fn);
  }
  return fn(value) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
