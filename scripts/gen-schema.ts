/**
 * Writes schema/rule.schema.json and schema/cases.schema.json from the zod shapes
 * (engine/rules/rule-schema.ts). Run after changing the rule language or the fact catalogue:
 *
 *   npx tsx scripts/gen-schema.ts
 *
 * test/rules/json-schema.test.ts fails when the committed files differ from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { casesJsonSchema, ruleJsonSchema } from '../engine/rules/json-schema.js';

const files = {
  'schema/rule.schema.json': ruleJsonSchema(),
  'schema/cases.schema.json': casesJsonSchema(),
};
for (const [file, schema] of Object.entries(files)) {
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
