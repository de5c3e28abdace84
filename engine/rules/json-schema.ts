import { z } from 'zod';
import { CasesFileSchema, RuleFileSchema } from './rule-schema.js';

/**
 * JSON Schemas (draft 2020-12) generated from the zod shapes in rule-schema.ts, for editors through
 * the `# yaml-language-server: $schema=…` modeline. `scripts/gen-schema.ts` writes them to
 * `schema/`; a test fails when the committed files drift from this output.
 */
export function ruleJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://memtriage.dev/schema/rule.schema.json',
    ...z.toJSONSchema(RuleFileSchema, { io: 'input', unrepresentable: 'throw' }),
  };
}

export function casesJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://memtriage.dev/schema/cases.schema.json',
    ...z.toJSONSchema(CasesFileSchema, { io: 'input', unrepresentable: 'throw' }),
  };
}
