import type { TemplateIssue } from '../errors.js';
import { isShellLang } from '../render/code-text.js';
import type { AstProgram } from '../render/handlebars-env.js';

type Node = hbs.AST.Node;
type Mustache = hbs.AST.MustacheStatement;

/**
 * Helpers whose output is always one shell word: `shellWord` quotes, `gomemlimit` and `mib` print
 * digits and a unit. Only these may be arguments of a command written as inline code.
 */
const SHELL_WORD_HELPERS = new Set(['shellWord', 'gomemlimit', 'mib']);
/** Blocks whose body is one of two alternatives (each starts from the same quoting state). */
const BRANCHING = new Set(['if', 'unless', 'each', 'with']);

interface ShellState {
  quote: '' | "'" | '"';
  comment: boolean;
  /** The character before the current position, '' at the start of a block. */
  prev: string;
}

interface ProseState {
  /** Inside a `` `…` `` span, with what it holds so far. */
  span: { text: string; quote: ShellState['quote']; values: { m: Mustache; quote: string }[] } | null;
}

const nameOf = (m: Mustache): string | undefined => {
  const p = m.path as hbs.AST.PathExpression;
  return p.type === 'PathExpression' && p.parts.length === 1 && !p.data ? p.original : undefined;
};

const show = (m: Mustache): string => {
  const p = m.path as hbs.AST.PathExpression;
  const head = p.type === 'PathExpression' ? p.original : '…';
  return `{{${head}${m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0 ? ' …' : ''}}}`;
};

/**
 * Where a value may end up in a command a reader pastes, the template must leave its quoting to
 * the renderer: a shell code block makes each value one shell word, and the template's own quotes
 * around it (`'…{{x}}…'`, `"…{{x}}…"`) undo that (`'http://'x;id;#'/…'` runs `id`). So this check
 * reports, with file:line:column:
 * - in a `{{#code "sh"}}` block (or bash, shell, console, zsh), a value inside single or double
 *   quotes, right after a `$`, or inside a `#` comment (a newline in the value ends the comment);
 * - in inline code in prose, a value inside quotes, and a value that is an argument of a command
 *   (the span holds template text too, like `` `pgrep -x {{name}}` ``) unless it goes through
 *   `shellWord` (or prints a bare number, `gomemlimit`, `mib`): nothing else quotes it there.
 * Values that are a whole inline-code span on their own (`` `{{topSite.function}}` ``) are names to
 * read, not commands, and stay verbatim.
 */
export function checkShellQuoting(file: string, ast: AstProgram, issues: TemplateIssue[]): void {
  const report = (m: Node, message: string) => {
    const at = m.loc?.start;
    issues.push({ file, line: at?.line ?? 0, column: (at?.column ?? -1) + 1, message });
  };

  const closeSpan = (s: ProseState) => {
    const span = s.span;
    s.span = null;
    if (span === null) return;
    const command = span.text.trim() !== '';
    for (const { m, quote } of span.values) {
      if (quote !== '') {
        report(
          m,
          `${show(m)} is inside ${quote}…${quote} in inline code: a value must not sit in the template's own quotes; write it as a word of its own with {{shellWord …}}`,
        );
      } else if (command && !SHELL_WORD_HELPERS.has(nameOf(m) ?? '')) {
        report(
          m,
          `${show(m)} is an argument of a command in inline code, where nothing shell-quotes it: write {{shellWord …}} (or put the value in a \`…\` of its own)`,
        );
      }
    }
  };

  const prose = (p: AstProgram | undefined, s: ProseState): void => {
    for (const node of p?.body ?? []) {
      if (node.type === 'ContentStatement') {
        const text = (node as hbs.AST.ContentStatement).value;
        for (let i = 0; i < text.length; i++) {
          const c = text[i]!;
          if (c === '\n' && /^\n[ \t]*\n/.test(text.slice(i))) {
            s.span = null; // a paragraph ends: an unclosed backtick was just a character
          } else if (c === '`') {
            if (s.span === null) s.span = { text: '', quote: '', values: [] };
            else closeSpan(s);
          } else if (s.span !== null) {
            s.span.text += c;
            if (c === "'" || c === '"')
              s.span.quote = s.span.quote === '' ? c : s.span.quote === c ? '' : s.span.quote;
          }
        }
      } else if (node.type === 'MustacheStatement') {
        const m = node as Mustache;
        if (s.span !== null) s.span.values.push({ m, quote: s.span.quote });
      } else if (node.type === 'BlockStatement') {
        const b = node as hbs.AST.BlockStatement;
        const name = b.path.original;
        if (name === 'code') {
          s.span = null;
          const lang = b.params[0];
          if (lang?.type === 'StringLiteral' && isShellLang((lang as hbs.AST.StringLiteral).value))
            shell(b.program, { quote: '', comment: false, prev: '' });
        } else if (BRANCHING.has(name)) {
          const before = s.span === null ? null : { ...s.span, values: [...s.span.values] };
          prose(b.program, s);
          const after = s.span;
          s.span = before;
          prose(b.inverse, s);
          s.span = after ?? s.span;
        } else {
          // section, steps, list, title, summary…: their body is paragraphs of its own
          s.span = null;
          prose(b.program, s);
          s.span = null;
        }
      }
    }
  };

  const shell = (p: AstProgram | undefined, s: ShellState): void => {
    for (const node of p?.body ?? []) {
      if (node.type === 'ContentStatement') {
        const text = (node as hbs.AST.ContentStatement).value;
        for (let i = 0; i < text.length; i++) {
          const c = text[i]!;
          if (s.comment) {
            if (c === '\n') s.comment = false;
          } else if (s.quote === "'") {
            if (c === "'") s.quote = '';
          } else if (c === '\\') {
            i++; // the next character is escaped (outside quotes and in "…")
            s.prev = text[i] ?? '';
            continue;
          } else if (s.quote === '"') {
            if (c === '"') s.quote = '';
          } else if (c === "'" || c === '"') s.quote = c;
          else if (c === '#' && (s.prev === '' || /[\s;&|()]/.test(s.prev))) s.comment = true;
          s.prev = c;
        }
      } else if (node.type === 'MustacheStatement') {
        const m = node as Mustache;
        if (s.quote !== '') {
          report(
            m,
            `${show(m)} is inside ${s.quote}…${s.quote} in a shell command: the renderer quotes every value as one shell word, and the template's quotes around it undo that; remove them (build the argument from words, e.g. curl -G -d key=value http://{{…}}/path)`,
          );
        } else if (s.comment) {
          report(m, `${show(m)} is inside a shell comment, which a newline in the value would end`);
        } else if (s.prev === '$') {
          report(
            m,
            `${show(m)} follows a "$" in a shell command, which would change how its quotes are read`,
          );
        }
        s.prev = 'x';
      } else if (node.type === 'BlockStatement') {
        const b = node as hbs.AST.BlockStatement;
        const before = { ...s };
        shell(b.program, s);
        const after = { ...s };
        Object.assign(s, before);
        shell(b.inverse, s);
        Object.assign(s, after); // both branches are meant to end where they started
      }
    }
  };

  prose(ast, { span: null });
}
