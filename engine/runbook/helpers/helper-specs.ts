import { BLOCK_HELPERS } from './block-helpers.js';
import { EMIT_HELPERS } from './emit-helpers.js';
import { VALUE_HELPERS } from './value-helpers.js';

export interface HelperSpec {
  /** `block`: used as `{{#name}}…{{/name}}`; `inline`: `{{name …}}` or `(name …)`. */
  use: 'block' | 'inline';
  /** Hash keys it understands; any other is an error. */
  hash: readonly string[];
  /** Index of a parameter that must be a fact id from the catalogue, when given as a literal. */
  factParam?: number;
  /** Index of a parameter that must name a chart series. */
  seriesParam?: number;
  /** Hash key that must name a chart series. */
  seriesHash?: string;
}

const inline = (hash: readonly string[] = [], extra: Partial<HelperSpec> = {}): HelperSpec => ({
  use: 'inline',
  hash,
  ...extra,
});
const block = (hash: readonly string[] = []): HelperSpec => ({ use: 'block', hash });

/** Handlebars built-ins templates may use (`lookup` and `log` are left out: lookups go through the shape check). */
const BUILTINS: Record<string, HelperSpec> = { if: block(), unless: block(), each: block(), with: block() };

const BLOCK_HASH: Record<string, readonly string[]> = { code: ['heading'] };
const EMIT_HASH: Record<string, readonly string[]> = {
  evidence: ['heading'],
  chart: ['title', 'also', 'limit', 'limitLabel'],
  growingSites: ['heading', 'max'],
  otherCauses: ['heading'],
};
const FACT_HELPERS = new Set(['fact', 'value', 'has']);

/** Every helper a template may call, with what the static check verifies about its arguments. */
export const HELPER_SPECS: Readonly<Record<string, HelperSpec>> = {
  ...BUILTINS,
  ...Object.fromEntries(Object.keys(BLOCK_HELPERS).map((n) => [n, block(BLOCK_HASH[n])])),
  ...Object.fromEntries(
    Object.keys(EMIT_HELPERS).map((n) => [
      n,
      inline(EMIT_HASH[n], n === 'chart' ? { seriesParam: 0, seriesHash: 'also' } : {}),
    ]),
  ),
  ...Object.fromEntries(
    Object.keys(VALUE_HELPERS).map((n) => [n, inline([], FACT_HELPERS.has(n) ? { factParam: 0 } : {})]),
  ),
};

export const HELPER_NAMES: ReadonlySet<string> = new Set(Object.keys(HELPER_SPECS));
