/**
 * Writes docs/errors.md from engine/error-codes.ts, the one list of error codes.
 *   npx tsx scripts/gen-errors-doc.ts
 * test/meta/error-codes.test.ts fails when the file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { errorsDoc } from '../engine/errors-doc.js';

writeFileSync('docs/errors.md', errorsDoc());
console.log('wrote docs/errors.md');
