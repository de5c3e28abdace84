import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';

/** The only module that imports handlebars (docs/architecture.md, "One importer per library"); the rest of the runbook code sees these. */
export type HbsEnv = typeof Handlebars;
export type HelperOptions = Handlebars.HelperOptions;
export type TemplateFn = Handlebars.TemplateDelegate;
export type AstProgram = hbs.AST.Program;

const require = createRequire(import.meta.url);

/**
 * Handlebars' runtime alone (environments, SafeString, `template(spec)`): all that rendering the
 * templates precompiled at build time needs (templates/shipped-templates.ts). The parser and
 * compiler (`require('handlebars')`, ~50 ms of a `diagnose` start-up) are loaded on first use, when a
 * template set is not the shipped one. Both share one runtime, so SafeString is the same class.
 */
const runtime = require('handlebars/runtime') as HbsEnv;
let full: HbsEnv | undefined;
const compiler = (): HbsEnv => (full ??= require('handlebars') as HbsEnv);

/** A fresh, isolated environment: helpers and partials never leak between renders or into other users. */
export function createEnv(): HbsEnv {
  return compiler().create();
}

/** The same, without the compiler: for templates given as precompiled specs (`templateFromSpec`). */
export function createRuntimeEnv(): HbsEnv {
  return runtime.create() as HbsEnv;
}

/** Parses a template to its AST; throws Handlebars' parse error (with line) on bad syntax. */
export function parseTemplate(source: string, srcName: string): AstProgram {
  return compiler().parse(source, { srcName });
}

/**
 * `noEscape`: the output is not HTML — every `{{value}}` has been rewritten to pass through the
 * literal helper, and each channel escapes for itself. `strict`: a path that is still looked up
 * directly (not a helper argument) throws instead of rendering empty. (A fresh object per call:
 * Handlebars writes defaults into it.)
 */
const compileOptions = (): CompileOptions => ({ noEscape: true, strict: true, preventIndent: true });

/** Compiles an AST (on its first call, as Handlebars does). */
export function compileAst(env: HbsEnv, ast: AstProgram): TemplateFn {
  return env.compile(ast, compileOptions());
}

/** The JavaScript source of the template spec `compileAst` would build, for `templateFromSpec` in another process. */
export function precompileAst(ast: AstProgram): string {
  return compiler().precompile(ast, compileOptions()) as unknown as string;
}

/** A template from a precompiled spec (the evaluated source of `precompileAst`). */
export function templateFromSpec(env: HbsEnv, spec: unknown): TemplateFn {
  return env.template(spec as TemplateSpecification);
}

/** Output a helper returns that must be emitted as is (block markers). */
export function safe(s: string): Handlebars.SafeString {
  return new runtime.SafeString(s);
}

export function isSafe(v: unknown): v is Handlebars.SafeString {
  return v instanceof runtime.SafeString;
}
