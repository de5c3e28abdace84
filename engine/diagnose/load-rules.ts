import { join } from 'node:path';
import { DEFAULT_RULES_DIR, DEFAULT_TEMPLATES_DIR, PACKAGE_ROOT } from '../paths.js';
import { compileRuleSet } from '../rules/compile-rule-set.js';
import { readRuleSetCache } from '../rules/rule-set-cache.js';
import type { CompiledRuleSet } from '../rules/types.js';

export interface RuleSourceOptions {
  /** User rule directories, added after the defaults (a rule with a default's id replaces it). */
  rules?: readonly string[];
  /** Leave the embedded default rules out: only the user's directories count. */
  noDefaultRules?: boolean;
  /** User template directories, searched before the embedded templates. */
  templates?: readonly string[];
  /** Also load and check each rule's cases.yaml (rules validate/test). */
  withCases?: boolean;
}

/** Where the build stores the validated default rule set (scripts/build.js, rule-set-cache.ts). */
export const DEFAULT_RULES_CACHE = join(PACKAGE_ROOT, 'dist', 'default-rules.json');

/**
 * The rule set a command runs: embedded defaults plus the user's directories, validated and compiled.
 * The defaults alone come from the build's cache when they are unchanged on disk, and only in the
 * built code (from the TypeScript sources the loader may be newer than the cache).
 */
export async function loadCompiledRules(opts: RuleSourceOptions = {}): Promise<CompiledRuleSet> {
  const user = opts.rules ?? [];
  const defaultsOnly =
    !opts.noDefaultRules && user.length === 0 && !opts.withCases && (opts.templates ?? []).length === 0;
  if (defaultsOnly && !import.meta.url.endsWith('.ts')) {
    const cached = readRuleSetCache(DEFAULT_RULES_CACHE, DEFAULT_RULES_DIR);
    if (cached !== undefined) return compileRuleSet(cached);
  }
  // The YAML loader (yaml, zod) is loaded only when rules are read from their files.
  const { loadRuleSet } = await import('../rules/load-rule-set.js');
  const { templatesIn } = await import('../rules/templates-in.js');
  const dirs = opts.noDefaultRules ? [...user] : [DEFAULT_RULES_DIR, ...user];
  const ruleSet = await loadRuleSet({
    dirs,
    templateExists: templatesIn([...(opts.templates ?? []), DEFAULT_TEMPLATES_DIR]),
    allowOverride: user.length > 0 && !opts.noDefaultRules,
    ...(opts.withCases ? { withCases: true } : {}),
  });
  return compileRuleSet(ruleSet);
}
