import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node } from 'yaml';

/** A parsed YAML file that can turn a data path (`['when', 'all', 2, 'gt']`) back into line:column. */
export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export type DataPath = readonly PropertyKey[];

/** 1-based line and column, as editors show them. Whole-file or whole-directory issues use 0:0. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** A problem of the YAML itself, before any rule or config schema looks at it. */
export interface YamlIssue extends SourceLocation {
  code: 'yaml-syntax' | 'yaml-duplicate-key' | 'empty-file';
  message: string;
}

export interface ParsedYaml {
  source: YamlSource;
  /** The plain JS value; undefined when the file is empty (comments only) or has syntax errors. */
  value: unknown;
  issues: YamlIssue[];
}

/**
 * Parses one YAML document without throwing. Syntax errors (bad indentation, tabs, duplicate keys,
 * several documents) come back as issues at yaml's own positions (`YAMLError.linePos`, 1-based).
 * With `valueDespiteDuplicateKeys`, a document whose only problems are duplicate keys still has its
 * value (the last of each duplicated key), so a caller can report its other problems in the same pass.
 */
export function parseYaml(
  file: string,
  text: string,
  opts: { valueDespiteDuplicateKeys?: boolean } = {},
): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const source: YamlSource = { file, doc, lineCounter };
  const issues: YamlIssue[] = doc.errors.map((e) => {
    const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
    const firstLine = e.message.split('\n')[0] ?? e.message;
    return {
      file,
      line: pos.line,
      column: pos.col,
      code: e.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-syntax',
      message: `${firstLine.replace(/ at line \d+, column \d+:?$/, '')} (${e.code})`,
    };
  });
  const onlyDuplicates =
    opts.valueDespiteDuplicateKeys === true && issues.every((i) => i.code === 'yaml-duplicate-key');
  if (issues.length > 0 && !onlyDuplicates) return { source, value: undefined, issues };
  if (doc.contents === null) {
    return {
      source,
      value: undefined,
      issues: [{ file, line: 1, column: 1, code: 'empty-file', message: 'the file has no content' }],
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // yaml throws a plain ReferenceError when aliases expand past maxAliasCount (an alias bomb,
    // "billion laughs"): that is a problem of the file, at the alias that amplifies.
    if (!(err instanceof ReferenceError) || !/alias/i.test(err.message)) throw err;
    const at = position(source, amplifyingAlias(doc)) ?? { file, line: 1, column: 1 };
    return {
      source,
      value: undefined,
      issues: [
        {
          ...at,
          code: 'yaml-syntax',
          message: `aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} per alias; an alias bomb?)`,
        },
      ],
    };
  }
  return { source, value, issues };
}

/** Alias expansions allowed per alias (yaml's `maxAliasCount`); a real config or rule file uses a handful. */
const MAX_ALIAS_COUNT = 50;

/** The first alias whose anchor holds aliases itself (what makes a bomb grow), else the first alias. */
function amplifyingAlias(doc: Document.Parsed): Node | undefined {
  let first: Node | undefined;
  let amplifying: Node | undefined;
  visit(doc, {
    Alias(_, alias) {
      first ??= alias;
      const target = alias.resolve(doc);
      let nested = false;
      if (target)
        visit(target, {
          Alias() {
            nested = true;
            return visit.BREAK;
          },
        });
      if (nested) {
        amplifying = alias;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return amplifying ?? first;
}

function position(src: YamlSource, node: Node | null | undefined): SourceLocation | undefined {
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = src.lineCounter.linePos(offset);
  return { file: src.file, line, column: col };
}

/**
 * Where a data path is written: the value's first character, or the key's when `at` is 'key'.
 * When the path does not exist (a missing key) it answers for the deepest node that does.
 */
export function locate(src: YamlSource, path: DataPath, at: 'value' | 'key' = 'value'): SourceLocation {
  let node: unknown = src.doc.contents;
  let best = position(src, src.doc.contents) ?? { file: src.file, line: 1, column: 1 };
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(src.doc);
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return best;
      const keyPos = position(src, pair.key as Node);
      if (i === path.length - 1 && at === 'key') return keyPos ?? best;
      node = pair.value;
      best = position(src, node as Node) ?? keyPos ?? best;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (node === undefined) return best;
      best = position(src, node as Node) ?? best;
    } else {
      return best;
    }
  }
  return best;
}

/**
 * The data path of the map key written at line:column (1-based), e.g. the second of two duplicate
 * keys yaml reports; undefined when no key starts there.
 */
export function keyPathAt(src: YamlSource, line: number, column: number): DataPath | undefined {
  const walk = (node: unknown, path: PropertyKey[]): DataPath | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key === undefined) continue;
        const at = position(src, pair.key as Node);
        if (at?.line === line && at.column === column) return [...path, key];
        const inner = walk(pair.value, [...path, key]);
        if (inner) return inner;
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const inner = walk(node.items[i], [...path, i]);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  return walk(src.doc.contents, []);
}

/** The scalar text as the author wrote it (`256KiB`, `0.80`), for showing thresholds back to people. */
export function sourceText(src: YamlSource, path: DataPath): string | undefined {
  const node = src.doc.getIn(path as unknown[], true);
  if (isScalar(node)) return typeof node.source === 'string' ? node.source : String(node.value);
  if (isSeq(node)) {
    const items = node.items.map((n) =>
      isScalar(n) ? (typeof n.source === 'string' ? n.source : String(n.value)) : '?',
    );
    return `[${items.join(', ')}]`;
  }
  return undefined;
}
