/**
 * A deliberately small JSON Schema (2020-12) checker, enough for the keywords our generated schemas
 * use, so the tests can check the shipped artefact itself. (The ajv in node_modules is eslint's 6.x,
 * which knows neither 2020-12's `$defs` nor `prefixItems`; ajv 8 is not a dependency.) It throws on
 * any keyword it does not know, so a schema change that needs more is noticed rather than ignored.
 */
type Schema = Record<string, unknown> | boolean;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs', 'default']);
const KNOWN = new Set([
  ...ANNOTATIONS,
  'type',
  'properties',
  'required',
  'additionalProperties',
  'enum',
  'const',
  'pattern',
  'minLength',
  'minimum',
  'maximum',
  '$ref',
  'anyOf',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

/** The JSON pointers (instance paths) where `value` breaks `schema`; empty when valid. */
export function validate(root: Record<string, unknown>, value: unknown): string[] {
  const errors: string[] = [];
  const check = (schema: Schema, v: unknown, at: string): boolean => {
    if (schema === true) return true;
    if (schema === false) {
      errors.push(`${at}: not allowed`);
      return false;
    }
    for (const k of Object.keys(schema))
      if (!KNOWN.has(k)) throw new Error(`mini-json-schema: unsupported keyword ${k}`);
    const before = errors.length;
    const fail = (msg: string): void => void errors.push(`${at}: ${msg}`);
    const s = schema;
    if (typeof s.$ref === 'string') {
      const name = s.$ref.replace('#/$defs/', '');
      const target = (root.$defs as Record<string, Schema>)[name];
      if (target === undefined) throw new Error(`mini-json-schema: unresolved ${s.$ref}`);
      check(target, v, at);
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => typeMatches(v, t))) fail(`expected ${types.join('|')}`);
    }
    if (Array.isArray(s.enum) && !s.enum.includes(v)) fail('not in enum');
    if ('const' in s && s.const !== v) fail('not const');
    if (typeof v === 'string') {
      if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) fail('pattern');
      if (typeof s.minLength === 'number' && [...v].length < s.minLength) fail('minLength');
    }
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && v < s.minimum) fail('minimum');
      if (typeof s.maximum === 'number' && v > s.maximum) fail('maximum');
    }
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems) fail('minItems');
      if (typeof s.maxItems === 'number' && v.length > s.maxItems) fail('maxItems');
      const prefix = (s.prefixItems as Schema[] | undefined) ?? [];
      v.forEach((item, i) => {
        const sub = i < prefix.length ? prefix[i] : (s.items as Schema | undefined);
        if (sub !== undefined) check(sub as Schema, item, `${at}/${i}`);
      });
    }
    if (typeOf(v) === 'object') {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (typeof s.minProperties === 'number' && keys.length < s.minProperties) fail('minProperties');
      if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) fail('maxProperties');
      for (const r of (s.required as string[] | undefined) ?? []) if (!(r in o)) fail(`required ${r}`);
      const props = (s.properties as Record<string, Schema> | undefined) ?? {};
      for (const k of keys) {
        if (k in props) check(props[k] as Schema, o[k], `${at}/${k}`);
        else if (s.additionalProperties === false) fail(`additional property ${k}`);
      }
    }
    if (Array.isArray(s.anyOf)) {
      const saved = errors.length;
      const ok = (s.anyOf as Schema[]).some((sub) => {
        const mark = errors.length;
        const pass = check(sub, v, at) && errors.length === mark;
        errors.length = mark;
        return pass;
      });
      errors.length = saved;
      if (!ok) fail('no anyOf branch matches');
    }
    return errors.length === before;
  };
  check(root, value, '');
  return errors;
}
