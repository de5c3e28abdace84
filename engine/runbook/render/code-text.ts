import { LITERAL_CLOSE, LITERAL_OPEN } from './literal.js';

const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);
/** Characters that need no quoting in a POSIX shell word. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]*$/;
/** A placeholder the reader substitutes, e.g. `<pid>`: left as is so it reads as one. */
const PLACEHOLDER = /^<[A-Za-z0-9 _:./-]+>$/;

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut));
}

/**
 * The text of a code block. Values interpolated into a shell command are quoted when they hold
 * anything a shell would interpret: an alert label like `x; rm -rf ~` must paste as one harmless
 * word, not as a second command. Common indentation and surrounding blank lines are removed.
 */
export function codeText(rendered: string, lang: string): string {
  const shell = SHELL_LANGS.has(lang.toLowerCase());
  const re = new RegExp(`${LITERAL_OPEN}([^${LITERAL_CLOSE}]*)${LITERAL_CLOSE}`, 'g');
  const text = rendered.replace(re, (_m, v: string) => {
    if (!shell || SHELL_SAFE.test(v) || PLACEHOLDER.test(v)) return v;
    return shellQuote(v);
  });
  const lines = dedent(text.replace(/[\uE000-\uE003]/g, '').split('\n'));
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines.map((l) => l.trimEnd()).join('\n');
}
