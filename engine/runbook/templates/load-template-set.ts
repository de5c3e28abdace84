import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateIssue } from '../errors.js';

/** Partials live in `<dir>/_partials/<name>.hbs` and are used as `{{> name}}`. */
export const PARTIALS_DIR = '_partials';
const ID = /^[a-z0-9][a-z0-9-]*$/;

export interface TemplateSource {
  id: string;
  file: string;
  source: string;
}

export interface TemplateSet {
  dirs: readonly string[];
  /** Runbook templates by id: the first directory that has `<id>.hbs` wins. */
  templates: ReadonlyMap<string, TemplateSource>;
  /** Partials by name, resolved the same way, so a user directory overrides any shipped partial. */
  partials: ReadonlyMap<string, TemplateSource>;
  /** Unreadable directories or files, misnamed templates. */
  issues: TemplateIssue[];
}

function hbsFiles(dir: string, issues: TemplateIssue[]): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.hbs'))
      .sort();
  } catch (err) {
    issues.push({
      file: dir,
      line: 0,
      column: 0,
      message: `cannot read templates directory: ${(err as Error).message}`,
    });
    return [];
  }
}

function addFrom(dir: string, into: Map<string, TemplateSource>, issues: TemplateIssue[]): void {
  for (const name of hbsFiles(dir, issues)) {
    const id = name.slice(0, -'.hbs'.length);
    const file = join(dir, name);
    if (into.has(id)) continue;
    if (!ID.test(id)) {
      issues.push({
        file,
        line: 0,
        column: 0,
        message: `template names are kebab-case ids (like go-map-leak.hbs), not "${name}"`,
      });
      continue;
    }
    try {
      if (!statSync(file).isFile()) continue;
      into.set(id, { id, file, source: readFileSync(file, 'utf8') });
    } catch (err) {
      issues.push({ file, line: 0, column: 0, message: `cannot read: ${(err as Error).message}` });
    }
  }
}

/**
 * Reads every template and partial from `dirs`, in priority order (user directories first, the
 * shipped `templates/` last). Synchronous: a handful of small files, read once per render, so an
 * edited template takes effect on the next incident without a restart.
 */
export function loadTemplateSet(dirs: readonly string[]): TemplateSet {
  const templates = new Map<string, TemplateSource>();
  const partials = new Map<string, TemplateSource>();
  const issues: TemplateIssue[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      issues.push({ file: dir, line: 0, column: 0, message: 'templates directory does not exist' });
      continue;
    }
    addFrom(dir, templates, issues);
    const pdir = join(dir, PARTIALS_DIR);
    if (existsSync(pdir)) addFrom(pdir, partials, issues);
  }
  return { dirs, templates, partials, issues };
}

/**
 * A fingerprint of what `loadTemplateSet(dirs)` would read, from the directory listings and each
 * `.hbs` file's inode, size, mtime and ctime, without reading the files (~0.1 ms against ~0.8 ms for
 * reading and hashing the shipped set). Any write to a template changes its ctime, so an equal
 * stamp means the same content; a server renders with the loaded set while the stamp holds.
 */
export function templateDirsStamp(dirs: readonly string[]): string {
  let stamp = '';
  for (const dir of dirs) {
    for (const d of [dir, join(dir, PARTIALS_DIR)]) {
      let names: string[];
      try {
        names = readdirSync(d);
      } catch (err) {
        stamp += `${d}\0${(err as NodeJS.ErrnoException).code ?? 'unreadable'}\n`;
        continue;
      }
      stamp += `${d}\n`;
      for (const name of names.sort()) {
        if (!name.endsWith('.hbs')) continue;
        try {
          const st = statSync(join(d, name));
          stamp += `${name}\0${st.ino}\0${st.size}\0${st.mtimeMs}\0${st.ctimeMs}\0${st.isFile()}\n`;
        } catch (err) {
          stamp += `${name}\0${(err as NodeJS.ErrnoException).code ?? 'unreadable'}\n`;
        }
      }
    }
  }
  return stamp;
}
