import { describe, expect, it } from 'vitest';
import { compileMatchRe, crossReferenceProblems } from '../../engine/config/cross-references.js';

describe('crossReferenceProblems', () => {
  it('reads the config as written: a part of the wrong shape is skipped, never guessed at', () => {
    for (const root of [undefined, null, 7, 'x', [], { routes: 'x', targets: {}, defaultRoute: [] }])
      expect(crossReferenceProblems(root)).toEqual([]);
    // a route whose channels are not a list, a non-string entry, a matchRe that is a list
    expect(
      crossReferenceProblems({
        routes: [{ channels: 'oncall' }, { channels: [7, ''], matchRe: ['('] }, null],
        targets: [{ name: 3 }, { matchRe: { a: 5 } }, 'x'],
      }),
    ).toEqual([]);
  });

  it('counts a channel as defined even when its definition is wrong, and stdout always', () => {
    expect(
      crossReferenceProblems({
        channels: { oncall: { type: 'slak' } },
        routes: [{ channels: ['oncall', 'stdout', 'pager'] }],
      }),
    ).toEqual([
      { path: ['routes', 0, 'channels', 2], message: 'no channel named "pager"; defined: stdout, oncall' },
    ]);
  });

  it('finds bad regexes in targets and routes and every repeat of a target name', () => {
    const got = crossReferenceProblems({
      targets: [
        { name: 'a', matchRe: { ns: '(' } },
        { name: 'a' },
        { name: 'b' },
        { name: 'a', matchRe: { ok: 'prod|stage' } },
      ],
      routes: [{ channels: ['stdout'], matchRe: { severity: '[' } }],
    });
    expect(got.map((p) => p.path.join('.'))).toEqual([
      'targets.0.matchRe.ns',
      'targets.1.name',
      'targets.3.name',
      'routes.0.matchRe.severity',
    ]);
    expect(got[2]?.message).toBe('duplicate target name "a" (targets[0] has it too)');
  });

  it('compiles matchRe anchored, as Alertmanager does', () => {
    const re = compileMatchRe('prod|stage');
    expect(re instanceof RegExp && re.test('prod') && !re.test('production')).toBe(true);
    expect(compileMatchRe('(')).toEqual({ error: expect.stringMatching(/^not a regular expression: /) });
  });
});
