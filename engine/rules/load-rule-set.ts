import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { RuleLoadError } from './errors.js';
import { sortIssues } from './format-issues.js';
import { loadCasesFile } from './load-cases-file.js';
import { loadRuleFile } from './load-rule-file.js';
import type { LoadRuleSetOptions, Rule, RuleIssue, RuleSet } from './types.js';

async function exists(path: string): Promise<'file' | 'dir' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

interface Seen {
  rule?: Rule;
  dirIndex: number;
  where: string;
}

/**
 * Loads every `<dir>/<id>/rule.yaml` (with its README.md, and its cases.yaml when asked) from the directories in
 * order and validates all of them before returning anything: one bad file rejects the whole set,
 * with every issue of every file in one `RuleLoadError`.
 *
 * Folders starting with `.` or `_` are skipped (editor state, shared fixtures); any other folder
 * without a rule.yaml is an issue, because a misnamed `rule.yml` would otherwise vanish silently.
 * A rule id seen twice is a `duplicate-id` issue unless `allowOverride` is set and the later copy
 * comes from a later directory; then the later copy takes the earlier one's place.
 */
export async function loadRuleSet(options: LoadRuleSetOptions): Promise<RuleSet> {
  const issues: RuleIssue[] = [];
  const ordered: Rule[] = [];
  const byId = new Map<string, Seen>();

  for (const [dirIndex, dir] of options.dirs.entries()) {
    if ((await exists(dir)) !== 'dir') {
      issues.push({
        file: dir,
        line: 0,
        column: 0,
        code: 'dir-not-found',
        message: 'rules directory does not exist',
      });
      continue;
    }
    const entries: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
      // A symlinked rule folder (a team sharing one rule across repos) counts as a folder.
      if (e.isDirectory() || (e.isSymbolicLink() && (await exists(join(dir, e.name))) === 'dir'))
        entries.push(e.name);
    }
    entries.sort();
    for (const name of entries) {
      const folder = join(dir, name);
      const file = join(folder, 'rule.yaml');
      if ((await exists(file)) !== 'file') {
        const yml = (await exists(join(folder, 'rule.yml'))) === 'file';
        issues.push({
          file: folder,
          line: 0,
          column: 0,
          code: 'missing-rule-file',
          message: yml
            ? 'found rule.yml; rename it to rule.yaml'
            : 'folder has no rule.yaml (prefix it with _ to keep non-rule files here)',
        });
        continue;
      }
      const loaded = loadRuleFile(
        file,
        await readFile(file, 'utf8'),
        { name, dir: folder },
        options.templateExists,
      );
      issues.push(...loaded.issues);

      const rule: Rule | undefined = loaded.rule ? { ...loaded.rule } : undefined;
      const casesFile = join(folder, 'cases.yaml');
      if (options.withCases && (await exists(casesFile)) === 'file') {
        const cases = await loadCasesFile(casesFile, await readFile(casesFile, 'utf8'));
        issues.push(...cases.issues);
        if (rule && cases.cases) rule.cases = cases.cases;
      }
      const readme = join(folder, 'README.md');
      if (rule && (await exists(readme)) === 'file') rule.readme = readme;

      const id = loaded.id;
      if (!id) continue;
      const where = `${file}:${id.line}:${id.column}`;
      const prev = byId.get(id.value);
      if (prev === undefined) {
        byId.set(id.value, { rule, dirIndex, where });
        if (rule) ordered.push(rule);
      } else if (options.allowOverride && prev.dirIndex < dirIndex) {
        if (rule && prev.rule) ordered[ordered.indexOf(prev.rule)] = rule;
        else if (rule) ordered.push(rule);
        byId.set(id.value, { rule, dirIndex, where });
      } else {
        issues.push({
          file,
          line: id.line,
          column: id.column,
          code: 'duplicate-id',
          message: `rule id "${id.value}" is already defined at ${prev.where}${prev.dirIndex < dirIndex && !options.allowOverride ? ' (to replace a rule from an earlier directory, enable overrides)' : ''}`,
        });
      }
    }
  }
  if (issues.length > 0) throw new RuleLoadError(sortIssues(issues));
  return { rules: ordered, dirs: options.dirs.map((d) => resolve(d)) };
}
