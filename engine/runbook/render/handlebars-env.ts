import Handlebars from 'handlebars';

/** The only module that imports handlebars (docs/architecture.md, "One importer per library"); the rest of the runbook code sees these. */
export type HbsEnv = typeof Handlebars;
export type HelperOptions = Handlebars.HelperOptions;
export type TemplateFn = Handlebars.TemplateDelegate;
export type AstProgram = hbs.AST.Program;

/** A fresh, isolated environment: helpers and partials never leak between renders or into other users. */
export function createEnv(): HbsEnv {
  return Handlebars.create();
}

/** Parses a template to its AST; throws Handlebars' parse error (with line) on bad syntax. */
export function parseTemplate(source: string, srcName: string): AstProgram {
  return Handlebars.parse(source, { srcName });
}

/**
 * Compiles an AST. `noEscape`: the output is not HTML — every `{{value}}` has been rewritten to
 * pass through the literal helper, and each channel escapes for itself. `strict`: a path that
 * is still looked up directly (not a helper argument) throws instead of rendering empty.
 */
export function compileAst(env: HbsEnv, ast: AstProgram): TemplateFn {
  return env.compile(ast, { noEscape: true, strict: true, preventIndent: true });
}

/** Output a helper returns that must be emitted as is (block markers). */
export function safe(s: string): Handlebars.SafeString {
  return new Handlebars.SafeString(s);
}

export function isSafe(v: unknown): v is Handlebars.SafeString {
  return v instanceof Handlebars.SafeString;
}
