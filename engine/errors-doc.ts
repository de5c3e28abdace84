import { ERROR_CODES } from './error-codes.js';

/** docs/errors.md, generated from the registry so the two cannot drift apart. */
export function errorsDoc(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning} |`);
  return `# Error codes

Every error memtriage raises on purpose carries one of these codes: in every HTTP error body
(\`{"error": {"code": "MT_ERR_…", "message": …}}\`), in the server's logs, and in the CLI's message
for errors that are not the input's fault. Scripts should match on the code, never on the message:
messages may change between versions, codes do not, and a retired code is never reused.

Exit codes of the CLI: 0 ok; 2 bad input (an \`InputError\`: flags, rule YAML, templates, config,
bundles — with file:line:column where there is one); 1 anything else (a finding such as a failing
rule case or \`eval\` below its floors, an error that is not the input's fault, or an unexpected
one, which also asks for a report).

Generated from \`engine/error-codes.ts\` by \`npx tsx scripts/gen-errors-doc.ts\`.

| code | meaning |
| --- | --- |
${rows.join('\n')}
`;
}
