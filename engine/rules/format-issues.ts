import type { RuleIssue } from './types.js';

/**
 * One `file:line:column: code: message` line per issue, sorted by file then position, the shape
 * compilers and editors (and `grep -n`) understand. Issues without a position print `file: code: message`.
 */
export function formatIssues(issues: readonly RuleIssue[]): string {
  return sortIssues(issues)
    .map((i) =>
      i.line > 0
        ? `${i.file}:${i.line}:${i.column}: ${i.code}: ${i.message}`
        : `${i.file}: ${i.code}: ${i.message}`,
    )
    .join('\n');
}

export function sortIssues(issues: readonly RuleIssue[]): RuleIssue[] {
  return [...issues].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column,
  );
}
