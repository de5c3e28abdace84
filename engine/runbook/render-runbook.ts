import { createHash } from 'node:crypto';
import type { Diagnosis } from '../diagnose/types.js';
import { DEFAULT_TEMPLATES_DIR } from '../paths.js';
import {
  buildTemplateContext,
  type RunbookGroup,
  type RunbookTarget,
  type TemplateContext,
} from './context/template-context.js';
import { TemplateError, TemplateMissingError, TemplateRenderError } from './errors.js';
import { BLOCK_HELPERS } from './helpers/block-helpers.js';
import { EMIT_HELPERS } from './helpers/emit-helpers.js';
import { HELPER_NAMES } from './helpers/helper-specs.js';
import { VALUE_HELPERS } from './helpers/value-helpers.js';
import {
  compileAst,
  createEnv,
  createRuntimeEnv,
  isSafe,
  safe,
  templateFromSpec,
  type HbsEnv,
  type HelperOptions,
  type TemplateFn,
} from './render/handlebars-env.js';
import { cleanText, literal, splitBlockMarkers } from './render/literal.js';
import { safeHttpUrl } from './links/http-url.js';
import { parseInline } from './render/parse-inline.js';
import { textToBlocks } from './render/parse-body.js';
import { RenderState } from './render/render-state.js';
import { LITERAL_HELPER, wrapLiterals } from './render/wrap-literals.js';
import { loadTemplateSet, templateDirsStamp, type TemplateSet } from './templates/load-template-set.js';
import { shippedTemplates, type ShippedTemplates } from './templates/shipped-templates.js';
import { NO_CAUSE_TEMPLATE, validateTemplateSet } from './templates/validate-template-set.js';
import type { Block, Rich, Runbook, RunbookCause } from './types.js';

export interface RenderRunbookOptions {
  /** User template directories, searched before the shipped `templates/` (any template or partial can be overridden). */
  templatesDirs?: readonly string[];
  /** What the diagnosis does not carry (pid, cgroup path, runtime version), e.g. from the bundle's meta.json. */
  target?: Partial<RunbookTarget>;
  /** The other alerts (instances) of the incident's Alertmanager group, each with its own incident. */
  group?: RunbookGroup;
}

function stateOf(o: HelperOptions): RenderState {
  return (o.data as { mt: RenderState }).mt;
}

function registerHelpers(env: HbsEnv): void {
  env.registerHelper(LITERAL_HELPER, (v: unknown) =>
    isSafe(v) ? v.toString() : v === null || v === undefined ? '' : literal(String(v)),
  );
  for (const [name, fn] of Object.entries(VALUE_HELPERS)) {
    env.registerHelper(name, (...args: unknown[]) => {
      const o = args.pop() as HelperOptions;
      return fn(args, stateOf(o));
    });
  }
  for (const [name, fn] of Object.entries(EMIT_HELPERS)) {
    env.registerHelper(name, (...args: unknown[]) => {
      const o = args.pop() as HelperOptions;
      return safe(fn(args, o, stateOf(o)));
    });
  }
  for (const [name, fn] of Object.entries(BLOCK_HELPERS)) {
    env.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const o = args.pop() as HelperOptions;
      return safe(fn(args, o, stateOf(o), this));
    });
  }
}

type Template = (context: unknown, options: { data: { mt: RenderState } }) => string;

/** An error thrown while a partial rendered, with the partials it was raised in (outermost first). */
class PartialRenderError extends Error {
  constructor(
    readonly partials: readonly { name: string; file: string }[],
    readonly inner: unknown,
  ) {
    super(inner instanceof Error ? inner.message : String(inner));
  }

  /** `in partial "a" → "b" (/dir/_partials/b.hbs): #with requires exactly one argument` */
  where(): string {
    const innermost = this.partials[this.partials.length - 1]!;
    return `in partial ${this.partials.map((p) => `"${p.name}"`).join(' → ')} (${innermost.file})`;
  }
}

/**
 * A partial that names itself in what it throws: Handlebars' own errors (`#with requires exactly
 * one argument`) say neither the partial nor its file, and the render error would name only the
 * template that included it.
 */
function namedPartial(name: string, file: string, fn: TemplateFn): TemplateFn {
  return ((context: unknown, options?: Parameters<TemplateFn>[1]) => {
    try {
      return fn(context, options);
    } catch (err) {
      if (err instanceof PartialRenderError)
        throw new PartialRenderError([{ name, file }, ...err.partials], err.inner);
      throw new PartialRenderError([{ name, file }], err);
    }
  }) as TemplateFn;
}

/** The partial's own file, or its name when the set has no such file (specs of the shipped set). */
const partialFile = (set: TemplateSet, name: string) =>
  set.partials.get(name)?.file ?? `_partials/${name}.hbs`;

interface CompiledSet {
  set: TemplateSet;
  /** The compiled template, or a TemplateError naming every problem in it and its partials. */
  template(id: string): Template;
}

/** Compiled sets by the content of their files; a few entries cover the default and user dirs. */
const COMPILED = new Map<string, CompiledSet>();
const COMPILED_MAX = 8;

/**
 * Checking and compiling the templates costs ~100 ms in a fresh process (~20 ms warm); reading the
 * small files costs well under one. So every call reads them (an edited template applies to the next
 * incident) and reuses the compiled set while their content is unchanged. When the content is the
 * shipped templates', the specs validated and precompiled at build time are used instead
 * (templates/shipped-templates.ts). Helpers get per-render state through `data.mt`, so a compiled
 * set is safe to share between renders.
 */
function compiledTemplates(set: TemplateSet): CompiledSet {
  const hash = createHash('sha1');
  for (const map of [set.templates, set.partials]) {
    for (const s of map.values()) hash.update(`${s.id}\0${s.file}\0${s.source}\0`);
  }
  hash.update(set.issues.map((i) => `${i.file}:${i.line}:${i.message}`).join('\n'));
  const key = `${set.dirs.join('\0')}\0${hash.digest('hex')}`;
  const hit = COMPILED.get(key);
  if (hit) return hit;

  const shipped = shippedTemplates(set);
  const compiled = (shipped && fromSpecs(set, shipped)) ?? fromSources(set);
  if (COMPILED.size >= COMPILED_MAX) COMPILED.delete(COMPILED.keys().next().value!);
  COMPILED.set(key, compiled);
  return compiled;
}

/** The build's precompiled specs (no parser, no compiler); undefined if this Handlebars refuses them. */
function fromSpecs(set: TemplateSet, shipped: ShippedTemplates): CompiledSet | undefined {
  const env = createRuntimeEnv();
  registerHelpers(env);
  const templates = new Map<string, TemplateFn>();
  try {
    for (const [name, spec] of Object.entries(shipped.partials))
      env.registerPartial(name, namedPartial(name, partialFile(set, name), templateFromSpec(env, spec)));
    for (const [id, spec] of Object.entries(shipped.templates))
      templates.set(id, templateFromSpec(env, spec));
  } catch {
    return undefined; // e.g. specs of another Handlebars version: compile from source
  }
  return {
    set,
    template(id) {
      const t = templates.get(id);
      if (t === undefined) throw new TemplateMissingError(id, set.dirs);
      return t;
    },
  };
}

/** Validates the set and compiles each template on first use. */
function fromSources(set: TemplateSet): CompiledSet {
  const parsed = validateTemplateSet(set);
  const partialFiles = new Set([...parsed.set.partials.values()].map((p) => p.file));
  const env = createEnv();
  registerHelpers(env);
  for (const [name, p] of parsed.partials)
    env.registerPartial(
      name,
      namedPartial(name, partialFile(set, name), compileAst(env, wrapLiterals(p, HELPER_NAMES))),
    );
  const templates = new Map<string, Template>();
  return {
    set,
    template(id) {
      const cached = templates.get(id);
      if (cached) return cached;
      const src = parsed.set.templates.get(id)!;
      const ast = parsed.templates.get(id);
      const relevant = parsed.issues.filter(
        (i) => i.file === src.file || partialFiles.has(i.file) || i.line === 0,
      );
      if (relevant.length > 0 || ast === undefined) throw new TemplateError(relevant);
      const t = compileAst(env, wrapLiterals(ast, HELPER_NAMES));
      templates.set(id, t);
      return t;
    },
  };
}

/** The last compiled set per list of directories, with the stamp of the files it was read from. */
const CURRENT = new Map<string, { stamp: string; compiled: CompiledSet }>();

/**
 * The compiled set for the templates of `dirs` as they are on disk now. The files are read again
 * only when their stamp (listing, inode, size, mtime, ctime) changed since the last call, which
 * saves a server most of a millisecond per incident; an edited template still applies to the next one
 * (on a file system whose timestamps have whole-second resolution, two same-size edits within one
 * second look alike; the next edit or restart picks them up).
 */
function currentTemplates(dirs: readonly string[]): CompiledSet {
  const key = dirs.join('\0');
  const stamp = templateDirsStamp(dirs);
  const last = CURRENT.get(key);
  if (last !== undefined && last.stamp === stamp) return last.compiled;
  const compiled = compiledTemplates(loadTemplateSet(dirs));
  if (!CURRENT.has(key) && CURRENT.size >= COMPILED_MAX) CURRENT.delete(CURRENT.keys().next().value!);
  CURRENT.set(key, { stamp, compiled });
  return compiled;
}

/**
 * Diagnosis → the channel-neutral Runbook, rendered once per incident with the template of the
 * top cause (its rule's `runbook:` id), or `no-cause` when nothing fired. Every call checks the
 * template files on disk (their stamp, see `currentTemplates`), so an edited template applies to the
 * next incident (checked and compiled once per content); a broken one throws TemplateError naming
 * file:line.
 */
export function renderRunbook(diagnosis: Diagnosis, opts: RenderRunbookOptions = {}): Runbook {
  const dirs = [...(opts.templatesDirs ?? []), DEFAULT_TEMPLATES_DIR];
  const top = diagnosis.causes[0];
  const templateId = top?.runbook ?? NO_CAUSE_TEMPLATE;
  const compiled = currentTemplates(dirs);
  const src = compiled.set.templates.get(templateId);
  if (src === undefined) throw new TemplateMissingError(templateId, dirs);
  const template = compiled.template(templateId);

  const context = buildTemplateContext(diagnosis, opts.target, opts.group);
  const state = new RenderState(diagnosis, context);
  let out: string;
  try {
    out = template(context, { data: { mt: state } });
  } catch (err) {
    // A partial's error names the template that included it (the file) and the partial.
    if (err instanceof PartialRenderError)
      throw new TemplateRenderError(src.file, `${err.where()}: ${err.message}`, { cause: err.inner });
    throw new TemplateRenderError(src.file, (err as Error).message, { cause: err });
  }
  const blocks: Block[] = [];
  for (const piece of splitBlockMarkers(out)) {
    if (typeof piece === 'string') blocks.push(...textToBlocks(piece, undefined));
    else {
      const b = state.get(piece);
      if (b !== undefined) blocks.push(b);
    }
  }
  return assemble(diagnosis, context, templateId, state, blocks);
}

function assemble(
  d: Diagnosis,
  ctx: TemplateContext,
  templateId: string,
  state: RenderState,
  blocks: Block[],
): Runbook {
  const top = d.causes[0];
  const service = ctx.incident.service ?? undefined;
  const prefix = service !== undefined ? `${service}: ` : '';
  const fallbackTitle =
    top !== undefined
      ? `${prefix}${cleanText(top.title)}`
      : `${prefix}${d.outcome === 'healthy' ? 'no memory problem found' : 'no cause found (inconclusive)'}`;
  const summary: Rich =
    state.summary && state.summary.length > 0
      ? state.summary
      : parseInline(literal(top?.description ?? fallbackTitle));
  const causes: RunbookCause[] = d.causes.map((c, i) => ({
    ruleId: cleanText(c.ruleId),
    title: cleanText(c.title),
    severity: c.severity,
    confidence: c.confidence,
    role: i === 0 ? 'top' : c.consequenceOf !== undefined ? 'consequence' : 'also',
  }));
  const url = ctx.incident.generatorURL === null ? undefined : safeHttpUrl(ctx.incident.generatorURL);
  return {
    version: 1,
    incidentId: ctx.incident.id,
    templateId,
    outcome: d.outcome,
    title: (state.title && state.title !== '' ? state.title : fallbackTitle).slice(0, 300),
    severity: top?.severity ?? 'info',
    summary,
    ...(service !== undefined ? { service } : {}),
    status: d.incident.status,
    ...(ctx.incident.startsAt !== null ? { startsAt: ctx.incident.startsAt } : {}),
    labels: ctx.incident.labels,
    ...(url !== undefined ? { generatorURL: url } : {}),
    causes,
    blocks,
  };
}
