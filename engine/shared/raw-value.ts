import type { DataPath } from './yaml-source.js';

/** Reading a parsed YAML value before it is validated (rule files, the config): by data path. */

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at `path` (array indexes as numbers, object keys as strings), undefined when absent. */
export function valueAt(root: unknown, path: DataPath): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isPlainObject(v) && typeof seg === 'string') v = v[seg];
    else return undefined;
  }
  return v;
}
