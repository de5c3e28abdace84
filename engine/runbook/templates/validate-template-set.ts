import { NO_CAUSE_CONTEXT_SHAPE, RULE_CONTEXT_SHAPE } from '../context/context-shape.js';
import type { TemplateIssue } from '../errors.js';
import { parseTemplate, type AstProgram } from '../render/handlebars-env.js';
import { checkShellQuoting } from './check-shell-quoting.js';
import { checkTemplate } from './check-template.js';
import { loadTemplateSet, type TemplateSet, type TemplateSource } from './load-template-set.js';

/** The template rendered when no rule fired (healthy or inconclusive). */
export const NO_CAUSE_TEMPLATE = 'no-cause';

export interface ParsedTemplateSet {
  set: TemplateSet;
  templates: ReadonlyMap<string, AstProgram>;
  partials: ReadonlyMap<string, AstProgram>;
  issues: TemplateIssue[];
}

function parse(src: TemplateSource, issues: TemplateIssue[]): AstProgram | undefined {
  try {
    return parseTemplate(src.source, src.file);
  } catch (err) {
    const e = err as Error & { lineNumber?: number; column?: number };
    const line = e.lineNumber ?? Number(/line (\d+)/.exec(e.message)?.[1] ?? 0);
    const first = e.message.split('\n');
    const detail =
      first.length > 2 ? `${first[0]}: ${first[first.length - 1]}` : e.message.replace(/\s+/g, ' ');
    issues.push({ file: src.file, line, column: (e.column ?? -1) + 1, message: `syntax error: ${detail}` });
    return undefined;
  }
}

/**
 * Parses and checks every template and partial of a set. Rule templates are checked against the
 * rule context, `no-cause` against the context without a cause; partials are checked where they
 * are included (and on their own, if nothing includes them).
 */
export function validateTemplateSet(set: TemplateSet): ParsedTemplateSet {
  const issues = [...set.issues];
  const partials = new Map<string, AstProgram>();
  for (const [name, src] of set.partials) {
    const ast = parse(src, issues);
    if (ast) {
      partials.set(name, ast);
      checkShellQuoting(src.file, ast, issues);
    }
  }
  const used = new Set<string>();
  const env = (root: typeof RULE_CONTEXT_SHAPE) => ({
    root,
    issues,
    partial: (name: string) => {
      const ast = partials.get(name);
      const src = set.partials.get(name);
      if (ast === undefined || src === undefined) return undefined;
      used.add(name);
      return { file: src.file, ast };
    },
  });
  const templates = new Map<string, AstProgram>();
  for (const [id, src] of set.templates) {
    const ast = parse(src, issues);
    if (ast === undefined) continue;
    templates.set(id, ast);
    checkShellQuoting(src.file, ast, issues);
    checkTemplate(src.file, ast, env(id === NO_CAUSE_TEMPLATE ? NO_CAUSE_CONTEXT_SHAPE : RULE_CONTEXT_SHAPE));
  }
  for (const [name, ast] of partials) {
    if (!used.has(name)) checkTemplate(set.partials.get(name)!.file, ast, env(RULE_CONTEXT_SHAPE));
  }
  return { set, templates, partials, issues: dedupe(issues) };
}

function dedupe(issues: TemplateIssue[]): TemplateIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.file}:${i.line}:${i.column}:${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Every problem in the templates of `dirs` (priority order: user directories first, the shipped
 * directory last), each naming file:line:column. Empty when all is well. Used by `rules validate`.
 */
export function validateTemplates(dirs: readonly string[]): TemplateIssue[] {
  return validateTemplateSet(loadTemplateSet(dirs)).issues;
}
