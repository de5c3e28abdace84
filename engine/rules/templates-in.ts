import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `templateExists` for `loadRuleSet`: a runbook id resolves when `<dir>/<id>.hbs` exists in any of
 * the directories (user directories first, then the shipped `templates/`). Ids are kebab-case by
 * then (the schema checks that), so they cannot climb out of the directory.
 */
export function templatesIn(dirs: readonly string[]): (runbookId: string) => boolean {
  return (id) => dirs.some((dir) => existsSync(join(dir, `${id}.hbs`)));
}
