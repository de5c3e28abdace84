import { DEFAULT_RULES_DIR, DEFAULT_TEMPLATES_DIR } from '../paths.js';
import { compileRuleSet, loadRuleSet, templatesIn } from '../rules/index.js';
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

/** The rule set a command runs: embedded defaults plus the user's directories, validated and compiled. */
export async function loadCompiledRules(opts: RuleSourceOptions = {}): Promise<CompiledRuleSet> {
  const user = opts.rules ?? [];
  const dirs = opts.noDefaultRules ? [...user] : [DEFAULT_RULES_DIR, ...user];
  const ruleSet = await loadRuleSet({
    dirs,
    templateExists: templatesIn([...(opts.templates ?? []), DEFAULT_TEMPLATES_DIR]),
    allowOverride: user.length > 0 && !opts.noDefaultRules,
    ...(opts.withCases ? { withCases: true } : {}),
  });
  return compileRuleSet(ruleSet);
}
