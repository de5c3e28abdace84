import { describe, expect, it } from 'vitest';
import { cleanText, literal, PLACEHOLDER_MARK } from '../../../engine/runbook/render/literal.js';
import { parseInline } from '../../../engine/runbook/render/parse-inline.js';
import { codeText } from '../../../engine/runbook/render/code-text.js';

describe('parseInline', () => {
  it('leaves unclosed or half-written markup as text', () => {
    expect(parseInline('a **b')).toEqual([{ kind: 'text', text: 'a **b' }]);
    expect(parseInline('a `b')).toEqual([{ kind: 'text', text: 'a `b' }]);
    expect(parseInline('see [docs](https://x.example')).toEqual([
      { kind: 'text', text: 'see [docs](https://x.example' },
    ]);
    expect(parseInline('****')).toEqual([{ kind: 'text', text: '****' }]);
    expect(parseInline('')).toEqual([]);
    expect(parseInline('  \n ')).toEqual([]);
  });

  it('collapses whitespace and newlines inside a paragraph', () => {
    expect(parseInline('one\n  two\tthree ')).toEqual([{ kind: 'text', text: 'one two three' }]);
  });

  it('a literal can close nothing and open nothing', () => {
    expect(parseInline(`**${literal('x** y')}**`)).toEqual([{ kind: 'strong', text: 'x** y' }]);
    expect(parseInline(`\`${literal('a`b')}\``)).toEqual([{ kind: 'code', text: 'a`b' }]);
    expect(parseInline(`[${literal('label')}](${literal('https://ok.example/a)b')})`)).toEqual([
      { kind: 'link', text: 'label', url: 'https://ok.example/a)b' },
    ]);
  });

  it('input cannot forge the literal or block marks, nor smuggle control characters', () => {
    const forged = 'x\uE001**y**\uE000\uE002' + '0\uE003\u001b[2J';
    expect(cleanText(forged)).toBe('x**y**0[2J');
    expect(parseInline(literal(forged))).toEqual([{ kind: 'text', text: 'x**y**0[2J' }]);
    // nor the template-placeholder mark: `\uE004<x>` from a value is the text `<x>`, shell-quoted in a command
    expect(cleanText('\uE004</etc/passwd>')).toBe('</etc/passwd>');
    expect(codeText(literal(cleanText('\uE004</etc/passwd>')), 'sh')).toBe(`'</etc/passwd>'`);
  });
});

describe('codeText', () => {
  it('dedents, trims blank edges, and quotes only unsafe interpolated words in shell', () => {
    expect(codeText(`\n    a ${literal('x y')}\n      b ${literal('ok-1.2:3')}\n\n`, 'sh')).toBe(
      `a 'x y'\n  b ok-1.2:3`,
    );
    // Only a placeholder the template wrote stays bare; the same text from a label is a value.
    expect(
      codeText(`echo ${literal(`${PLACEHOLDER_MARK}<pid>`)} ${literal('<pid>')} ${literal("it's")}`, 'bash'),
    ).toBe(`echo <pid> '<pid>' 'it'\\''s'`);
    expect(codeText(`x := ${literal('a b')}`, 'go')).toBe('x := a b');
  });
});
