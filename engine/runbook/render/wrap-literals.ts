import type { AstProgram } from './handlebars-env.js';
import { PLACEHOLDER, PLACEHOLDER_MARK } from './literal.js';

/** Name of the helper every `{{value}}` is routed through (registered by render-runbook). */
export const LITERAL_HELPER = '__literal';

type Node = hbs.AST.Node;
type Mustache = hbs.AST.MustacheStatement;

/**
 * Rewrites `{{expr}}` as `{{__literal expr}}` (and `{{helper a b}}` as `{{__literal (helper a b)}}`),
 * so that whatever a value contains is marked literal before the inline parser sees it. This is
 * how alert-supplied text stays inert without relying on Handlebars' HTML escaping, which is wrong
 * for every channel but HTML and does not neutralise CommonMark or Slack markup.
 */
export function wrapLiterals(program: AstProgram, helperNames: ReadonlySet<string>): AstProgram {
  for (const node of program.body) visit(node, helperNames);
  return program;
}

function visit(node: Node, helpers: ReadonlySet<string>): void {
  if (node.type === 'MustacheStatement') {
    wrap(node as Mustache, helpers);
  } else if (node.type === 'BlockStatement') {
    const b = node as hbs.AST.BlockStatement;
    if (b.program) wrapLiterals(b.program, helpers);
    if (b.inverse) wrapLiterals(b.inverse, helpers);
  }
}

/** Marks the `<placeholder>` string literals among a call's arguments (see PLACEHOLDER_MARK). */
function markPlaceholders(params: readonly hbs.AST.Expression[] | undefined): void {
  for (const p of params ?? []) {
    if (p.type === 'StringLiteral') {
      const lit = p as hbs.AST.StringLiteral;
      if (PLACEHOLDER.test(lit.value)) {
        lit.value = `${PLACEHOLDER_MARK}${lit.value}`;
        lit.original = lit.value;
      }
    } else if (p.type === 'SubExpression') markPlaceholders((p as hbs.AST.SubExpression).params);
  }
}

function wrap(m: Mustache, helpers: ReadonlySet<string>): void {
  if (!m.escaped) return;
  markPlaceholders(m.params);
  const path = m.path as hbs.AST.PathExpression;
  const isCall =
    (m.params?.length ?? 0) > 0 ||
    (m.hash?.pairs.length ?? 0) > 0 ||
    (path.type === 'PathExpression' && path.parts.length === 1 && !path.data && helpers.has(path.original));
  const inner: hbs.AST.Expression = isCall
    ? ({
        type: 'SubExpression',
        path,
        params: m.params ?? [],
        hash: m.hash,
        loc: m.loc,
      } as hbs.AST.SubExpression)
    : m.path;
  m.path = {
    type: 'PathExpression',
    data: false,
    depth: 0,
    parts: [LITERAL_HELPER],
    original: LITERAL_HELPER,
    loc: m.loc,
  } as hbs.AST.PathExpression;
  m.params = [inner];
  m.hash = undefined as unknown as hbs.AST.Hash;
}
