import { factIds, getFactDefinition } from '../../facts/catalogue.js';
import { suggest } from '../../shared/did-you-mean.js';
import { CHART_SERIES, isChartSeries } from '../chart/chart-series.js';
import type { Shape } from '../context/context-shape.js';
import type { TemplateIssue } from '../errors.js';
import { HELPER_SPECS, type HelperSpec } from '../helpers/helper-specs.js';
import type { AstProgram } from '../render/handlebars-env.js';

type Node = hbs.AST.Node;
type Expr = hbs.AST.Expression;

interface Scope {
  shape: Shape;
  params: Record<string, Shape>;
}

/** What the checker needs from outside: partial ASTs (parsed once) and where to report. */
export interface CheckEnv {
  root: Shape;
  partial: (name: string) => { file: string; ast: AstProgram } | undefined;
  issues: TemplateIssue[];
}

const SCALAR: Shape = { t: 'scalar' };
const DATA_VARS = new Set(['index', 'key', 'first', 'last']);

const hint = (input: string, candidates: readonly string[]) => {
  const s = suggest(input, candidates);
  return s.length > 0 ? `; did you mean ${s.map((x) => `"${x}"`).join(' or ')}?` : '';
};

/**
 * Where a partial's problems are reported: at the `{{> …}}` of the template being checked that
 * (directly or through other partials) included it, naming the partials in between. A shipped
 * partial is right in the shipped templates' scope; given another scope by a user template, the
 * template is what needs the fix, and the partial's own line says what went wrong.
 */
interface Inclusion {
  file: string;
  line: number;
  column: number;
  /** Partial names from the outermost include inward. */
  chain: readonly string[];
}

/**
 * Static check of one template against the context shape: every path names a field the context
 * has, every helper exists and is used as a block or inline as it should be, every partial exists
 * (and is checked in the scope it is included from), every fact id is in the catalogue. Reports
 * every issue with file:line:column; a problem inside an included partial at the template's
 * `{{> name}}`, naming the partial and its own file:line:column.
 */
export function checkTemplate(
  file: string,
  ast: AstProgram,
  env: CheckEnv,
  stack: readonly string[] = [],
): void {
  new Checker(file, env, [...stack, file]).program(ast, [{ shape: env.root, params: {} }]);
}

class Checker {
  constructor(
    private readonly file: string,
    private readonly env: CheckEnv,
    private readonly stack: readonly string[],
    private readonly inclusion?: Inclusion,
  ) {}

  private issue(node: Node | undefined, message: string): void {
    const at = node?.loc?.start;
    const line = at?.line ?? 0;
    const column = (at?.column ?? -1) + 1;
    if (this.inclusion === undefined) {
      this.env.issues.push({ file: this.file, line, column, message });
      return;
    }
    const { chain, ...where } = this.inclusion;
    const partials = chain.map((n) => `"${n}"`).join(' → ');
    this.env.issues.push({
      ...where,
      message: `in partial ${partials} (${this.file}:${line}:${column}): ${message}`,
    });
  }

  program(p: AstProgram | undefined, scopes: Scope[]): void {
    for (const st of p?.body ?? []) this.statement(st, scopes);
  }

  private statement(node: Node, scopes: Scope[]): void {
    switch (node.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement':
        return this.mustache(node as hbs.AST.MustacheStatement, scopes);
      case 'BlockStatement':
        return this.block(node as hbs.AST.BlockStatement, scopes);
      case 'PartialStatement':
        return this.partial(node as hbs.AST.PartialStatement, scopes);
      default:
        this.issue(
          node,
          `${node.type} is not supported in runbook templates (use {{> partial}} and block helpers)`,
        );
    }
  }

  private mustache(m: hbs.AST.MustacheStatement, scopes: Scope[]): void {
    if (!m.escaped) {
      this.issue(
        m,
        'raw output {{{…}}} / {{&…}} is not allowed: write {{…}}, every channel escapes it for itself',
      );
    }
    const path = m.path as hbs.AST.PathExpression;
    if (path.type !== 'PathExpression') return;
    const simple = path.parts.length === 1 && !path.data && path.depth === 0;
    const isCall = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0;
    const spec = simple ? HELPER_SPECS[path.original] : undefined;
    const field = scopes[scopes.length - 1]!.shape;
    if (!isCall && spec?.use === 'block' && field.t === 'object' && path.original in field.fields) {
      this.issue(
        m,
        `"${path.original}" names the block helper {{#${path.original}}}; for the field write {{this.${path.original}}}`,
      );
      return;
    }
    if (isCall || spec !== undefined) this.call(m, path, m.params, m.hash, scopes, 'inline');
    else this.path(path, scopes);
  }

  private block(b: hbs.AST.BlockStatement, scopes: Scope[]): void {
    const name = b.path.original;
    const spec = this.call(b, b.path, b.params, b.hash, scopes, 'block');
    let inner = scopes;
    if (spec !== undefined && (name === 'each' || name === 'with')) {
      const target = b.params[0];
      const shape =
        target?.type === 'PathExpression' ? this.path(target as hbs.AST.PathExpression, scopes) : undefined;
      const elem = name === 'each' ? (shape?.t === 'array' ? shape.of : SCALAR) : (shape ?? SCALAR);
      const params: Record<string, Shape> = {};
      const [p0, p1] = b.program?.blockParams ?? [];
      if (p0 !== undefined) params[p0] = elem;
      if (p1 !== undefined) params[p1] = SCALAR;
      inner = [...scopes, { shape: elem, params }];
    }
    this.program(b.program, inner);
    this.program(b.inverse, scopes);
  }

  private partial(p: hbs.AST.PartialStatement, scopes: Scope[]): void {
    if (p.name.type !== 'PathExpression') {
      this.issue(p, 'dynamic partial names are not supported: write {{> name}}');
      return;
    }
    const name = (p.name as hbs.AST.PathExpression).original;
    const found = this.env.partial(name);
    for (const e of p.params) this.expr(e, scopes);
    for (const pair of p.hash?.pairs ?? []) this.expr(pair.value, scopes);
    if (found === undefined) {
      this.issue(
        p,
        `partial "${name}" not found (looked for _partials/${name}.hbs in every templates directory)`,
      );
      return;
    }
    if (this.stack.includes(found.file)) {
      this.issue(p, `partial "${name}" includes itself`);
      return;
    }
    let shape = scopes[scopes.length - 1]!.shape;
    const arg = p.params[0];
    if (arg?.type === 'PathExpression') shape = this.path(arg as hbs.AST.PathExpression, scopes) ?? SCALAR;
    if (p.hash && p.hash.pairs.length > 0 && shape.t === 'object') {
      shape = {
        t: 'object',
        fields: { ...shape.fields, ...Object.fromEntries(p.hash.pairs.map((x) => [x.key, SCALAR])) },
      };
    }
    const at = p.loc?.start;
    const inclusion: Inclusion = this.inclusion
      ? { ...this.inclusion, chain: [...this.inclusion.chain, name] }
      : { file: this.file, line: at?.line ?? 0, column: (at?.column ?? -1) + 1, chain: [name] };
    new Checker(found.file, this.env, [...this.stack, found.file], inclusion).program(found.ast, [
      { shape, params: {} },
    ]);
  }

  private call(
    node: Node,
    path: hbs.AST.PathExpression,
    params: Expr[],
    hash: hbs.AST.Hash | undefined,
    scopes: Scope[],
    use: HelperSpec['use'],
  ): HelperSpec | undefined {
    const name = path.original;
    const spec = HELPER_SPECS[name];
    if (spec === undefined) {
      const known = Object.keys(HELPER_SPECS).filter((n) => HELPER_SPECS[n]!.use === use);
      this.issue(node, `unknown ${use === 'block' ? 'block ' : ''}helper "${name}"${hint(name, known)}`);
    } else if (spec.use !== use) {
      this.issue(
        node,
        spec.use === 'block'
          ? `"${name}" is a block helper: {{#${name} …}}…{{/${name}}}`
          : `"${name}" is not a block helper`,
      );
    }
    for (const e of params) this.expr(e, scopes);
    for (const pair of hash?.pairs ?? []) {
      this.expr(pair.value, scopes);
      if (spec !== undefined && !spec.hash.includes(pair.key)) {
        this.issue(
          pair,
          `"${name}" has no option "${pair.key}"${spec.hash.length > 0 ? ` (it takes ${spec.hash.join(', ')})` : ''}`,
        );
      }
    }
    if (spec?.factParam !== undefined) this.factLiteral(params[spec.factParam]);
    if (spec?.seriesParam !== undefined) this.seriesLiteral(params[spec.seriesParam]);
    if (spec?.seriesHash !== undefined)
      this.seriesLiteral(hash?.pairs.find((x) => x.key === spec.seriesHash)?.value);
    return spec;
  }

  private factLiteral(e: Expr | undefined): void {
    if (e?.type !== 'StringLiteral') return;
    const id = (e as hbs.AST.StringLiteral).value;
    if (getFactDefinition(id) === undefined) this.issue(e, `unknown fact "${id}"${hint(id, factIds())}`);
  }

  private seriesLiteral(e: Expr | undefined): void {
    if (e?.type !== 'StringLiteral') return;
    const id = (e as hbs.AST.StringLiteral).value;
    if (!isChartSeries(id))
      this.issue(e, `unknown chart series "${id}"${hint(id, [...Object.keys(CHART_SERIES), 'jvm.nmt.*'])}`);
  }

  private expr(e: Expr, scopes: Scope[]): void {
    if (e.type === 'PathExpression') this.path(e as hbs.AST.PathExpression, scopes);
    else if (e.type === 'SubExpression') {
      const s = e as hbs.AST.SubExpression;
      this.call(s, s.path, s.params, s.hash, scopes, 'inline');
    }
  }

  /** Resolves a path against the scopes; reports and returns undefined when the field does not exist. */
  private path(p: hbs.AST.PathExpression, scopes: Scope[]): Shape | undefined {
    let parts = [...p.parts];
    let shape: Shape | undefined;
    if (p.data) {
      const head = parts.shift();
      if (head === 'root') shape = this.env.root;
      else if (head !== undefined && DATA_VARS.has(head) && parts.length === 0) return SCALAR;
      else {
        this.issue(p, `unknown data variable "@${head ?? ''}" (use @root, @index, @key, @first, @last)`);
        return undefined;
      }
    } else {
      const depth = Math.min(p.depth, scopes.length - 1);
      const scope = scopes[scopes.length - 1 - depth]!;
      const param = p.depth === 0 && parts[0] !== undefined ? findParam(scopes, parts[0]) : undefined;
      if (param !== undefined) {
        shape = param;
        parts = parts.slice(1);
      } else shape = scope.shape;
    }
    for (const part of parts) {
      if (shape.t === 'object') {
        const next: Shape | undefined = shape.fields[part];
        if (next === undefined) {
          this.issue(
            p,
            `"${p.original}": the context has no field "${part}"${hint(part, Object.keys(shape.fields))}`,
          );
          return undefined;
        }
        shape = next;
      } else if (shape.t === 'record') shape = SCALAR;
      else if (shape.t === 'array') {
        if (part === 'length') shape = SCALAR;
        else if (/^\d+$/.test(part)) shape = shape.of;
        else {
          this.issue(p, `"${p.original}": "${part}" on a list (use {{#each}} or .length)`);
          return undefined;
        }
      } else {
        this.issue(p, `"${p.original}": "${part}" is read from a plain value, which has no fields`);
        return undefined;
      }
    }
    return shape;
  }
}

function findParam(scopes: readonly Scope[], name: string): Shape | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const s = scopes[i]!.params[name];
    if (s !== undefined) return s;
  }
  return undefined;
}
