import { LITERAL_CLOSE, LITERAL_OPEN, PLACEHOLDER_MARK } from './literal.js';

/** Code block languages whose values are shell-quoted (and checked: check-shell-quoting.ts). */
export const SHELL_LANGS: ReadonlySet<string> = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);

export const isShellLang = (lang: string): boolean => SHELL_LANGS.has(lang.toLowerCase());

/** Characters that need no quoting in a POSIX shell word. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * A value as exactly one POSIX shell word: as is when it holds nothing a shell interprets, else
 * single-quoted, with each `'` written as `'\''` (inside single quotes nothing is special, so no
 * `$( )`, backtick, `;`, `#`, newline or redirection in the value can act). Empty → `''`.
 */
export function shellWord(v: string): string {
  return SHELL_SAFE.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/**
 * Longest value pasted into a command. Labels may be kilobytes long; a command holding one could not
 * be read before pasting, and Slack would have to cut its box. Longer values are left out, visibly.
 */
export const MAX_SHELL_VALUE = 256;

function shellValue(v: string): string {
  return v.length > MAX_SHELL_VALUE
    ? shellWord(`<a value of ${v.length} characters, left out>`)
    : shellWord(v);
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut));
}

/**
 * The text of a code block. Every value interpolated into a shell command becomes one shell word
 * (quoted when it holds anything a shell would interpret): an alert label like `x; rm -rf ~` must
 * paste as one harmless argument, not as a second command. The template check makes sure no value
 * sits inside the template's own quotes, which would undo this. Only a `<placeholder>` the
 * template wrote stays as is, for the reader to substitute. Common indentation and surrounding
 * blank lines are removed.
 */
export function codeText(rendered: string, lang: string): string {
  const shell = isShellLang(lang);
  const re = new RegExp(`${LITERAL_OPEN}([^${LITERAL_CLOSE}]*)${LITERAL_CLOSE}`, 'g');
  const text = rendered.replace(re, (_m, v: string) => {
    if (v.startsWith(PLACEHOLDER_MARK)) return v.slice(1);
    return shell ? shellValue(v) : v;
  });
  const lines = dedent(text.replace(/[\uE000-\uE004]/g, '').split('\n'));
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines.map((l) => l.trimEnd()).join('\n');
}
