import { checkConditions } from './check-conditions.js';
import { sortIssues } from './format-issues.js';
import { mapZodIssues } from './map-zod-issues.js';
import { dotPath, isPlainObject } from './raw-paths.js';
import { ID_PATTERN, RuleFileSchema } from './rule-schema.js';
import type { Rule, RuleIssue } from './types.js';
import { locate, parseYaml } from '../shared/yaml-source.js';
import type { DataPath } from '../shared/yaml-source.js';

export interface RuleFileResult {
  /** Present only when the file has no issues at all. */
  rule?: Omit<Rule, 'cases' | 'readme'>;
  issues: RuleIssue[];
  /** The declared id and where it is written, for duplicate detection across files (even if invalid). */
  id?: { value: string; line: number; column: number };
}

/** Validates one rule.yaml (structure, facts, units, id = folder, runbook template) and normalises it. */
export function loadRuleFile(
  file: string,
  text: string,
  folder: { name: string; dir: string },
  templateExists: (runbookId: string) => boolean,
): RuleFileResult {
  const parsed = parseYaml(file, text);
  if (parsed.issues.length > 0) return { issues: parsed.issues };
  const { source, value } = parsed;
  if (!isPlainObject(value)) {
    const where = locate(source, []);
    return {
      issues: [
        {
          ...where,
          code: 'not-a-mapping',
          message: 'rule.yaml must be a mapping with id, title, severity, runbook and when',
        },
      ],
    };
  }
  const result = RuleFileSchema.safeParse(value);
  const mapped = result.success
    ? { issues: [], paths: [] }
    : mapZodIssues(result.error.issues, source, value, 'rule');
  const issues = mapped.issues;
  const zodPaths = mapped.paths.map(dotPath);
  const rejected = (path: DataPath): boolean => {
    const p = dotPath(path);
    return zodPaths.some((z) => z === p || z.startsWith(`${p}.`) || z.startsWith(`${p}[`));
  };
  const when = 'when' in value ? checkConditions(source, value.when, ['when'], rejected) : { issues: [] };
  issues.push(...when.issues);

  let id: RuleFileResult['id'];
  if (typeof value.id === 'string') {
    const at = locate(source, ['id']);
    id = { value: value.id, line: at.line, column: at.column };
    if (value.id !== folder.name) {
      issues.push({
        ...at,
        code: 'id-mismatch',
        message: `id "${value.id}" must equal its folder name "${folder.name}"`,
      });
    }
  }
  if (typeof value.runbook === 'string' && ID_PATTERN.test(value.runbook) && !templateExists(value.runbook)) {
    issues.push({
      ...locate(source, ['runbook']),
      code: 'missing-template',
      message: `runbook template "${value.runbook}" does not exist (expected templates/${value.runbook}.hbs)`,
    });
  }
  if (!result.success || issues.length > 0 || !when.condition) return { issues: sortIssues(issues), id };
  const raw = result.data;
  return {
    issues,
    id,
    rule: {
      id: raw.id,
      title: raw.title,
      severity: raw.severity,
      ...(raw.severityFromAlert ? { severityFromAlert: true } : {}),
      ...(raw.fallback ? { fallback: true } : {}),
      kind: raw.kind ?? 'cause',
      confidence: raw.confidence ?? 0.8,
      runbook: raw.runbook,
      ...(raw.description === undefined ? {} : { description: raw.description }),
      when: when.condition,
      dir: folder.dir,
      file,
    },
  };
}
