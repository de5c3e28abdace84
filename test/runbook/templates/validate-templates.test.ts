import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES_DIR } from '../../../engine/paths.js';
import { formatTemplateIssue, validateTemplates } from '../../../engine/runbook/index.js';

const FIX = 'test/fixtures/runbook';
const broken = join(FIX, 'templates-broken');

function issuesOf(dirs: string[]): string[] {
  return validateTemplates(dirs).map(formatTemplateIssue);
}

describe('validateTemplates', () => {
  it('passes the shipped templates, and one exists for every default rule and no-cause', () => {
    expect(issuesOf([DEFAULT_TEMPLATES_DIR])).toEqual([]);
  });

  it('reports every problem with file:line:column, partials checked where they are included', () => {
    const got = issuesOf([broken]);
    const t = join(broken, 'go-map-leak.hbs');
    const expected = [
      `${t}:2:3: "cause.titel": the context has no field "titel"; did you mean "title"?`,
      `${t}:3:1: unknown helper "frobnicate"`,
      `${t}:4:1: partial "nope" not found (looked for _partials/nope.hbs in every templates directory)`,
      `${t}:5:9: unknown fact "gctrace.liveHeap"; did you mean "gctrace.liveHeapBytes"?`,
      `${t}:6:1: raw output {{{…}}} / {{&…}} is not allowed: write {{…}}, every channel escapes it for itself`,
      `${t}:7:1: "steps" is a block helper: {{#steps …}}…{{/steps}}`,
      `${t}:8:33: "chart" has no option "colour" (it takes title, also, limit, limitLabel)`,
      `${t}:9:9: unknown chart series "gctrace.nope"`,
      `${t}:10:19: "titel": the context has no field "titel"; did you mean "title"?`,
      `${t}:12:3: "labels.instance": the context has no field "labels"`,
      // a partial's problem is blamed on the template that included it, naming the partial's own line
      `${t}:13:1: in partial "uses-missing-field" (${join(broken, '_partials/uses-missing-field.hbs')}:2:3): "target.pidd": the context has no field "pidd"; did you mean "pid"?`,
      `${t}:15:53: "site.lineno": the context has no field "lineno"`,
      `${t}:11:17: "title" names the block helper {{#title}}; for the field write {{this.title}}`,
      `${join(broken, 'no-cause.hbs')}:2:3: "cause.title": the context has no field "cause"; did you mean "causes"?`,
    ];
    for (const e of expected) expect(got).toContain(e);
    // on line 11 `../`, `@index` and `@root` resolve; line 14 (a label lookup in a record) is valid
    expect(got.filter((g) => /:1[14]:/.test(g))).toEqual([
      `${t}:11:17: "title" names the block helper {{#title}}; for the field write {{this.title}}`,
    ]);
    expect(got).toHaveLength(expected.length);
  });

  it('reports a value inside quotes, after $ or in a comment of a shell command, and an unquoted inline-code argument', () => {
    const dir = join(FIX, 'templates-unsafe-shell');
    const t = join(dir, 'go-goroutine-leak.hbs');
    const got = validateTemplates([dir, DEFAULT_TEMPLATES_DIR]).map(
      (i) => `${i.file}:${i.line}:${i.column}: ${i.message.split(':')[0]}`,
    );
    expect(got).toEqual([
      `${join(dir, '_partials/unsafe-cd.hbs')}:2:5: {{target.cgroup}} is inside "…" in a shell command`,
      `${t}:4:17: {{target.instance}} is inside '…' in a shell command`,
      `${t}:5:7: {{cause.title}} is inside "…" in a shell command`,
      `${t}:6:7: {{target.pid}} follows a "$" in a shell command, which would change how its quotes are read`,
      `${t}:7:8: {{target.cgroup}} is inside a shell comment, which a newline in the value would end`,
      // the else branch of an {{#if}} inside the block, from the same quoting state as the if branch
      `${t}:9:66: {{incident.id}} is inside "…" in a shell command`,
      `${t}:13:24: {{target.service}} is an argument of a command in inline code, where nothing shell-quotes it`,
      `${t}:13:54: {{target.pid}} is inside '…' in inline code`,
    ]);
  });

  it("reports the pre-fix runbook commands that put the instance inside the template's quotes", () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-tpl-'));
    writeFileSync(
      join(dir, 'go-goroutine-leak.hbs'),
      `{{#code "sh"}}\ncurl -s 'http://{{or target.instance "<host:port>"}}/debug/pprof/goroutine?debug=1'\n{{/code}}\n` +
        `{{#code "sh"}}\ngo tool pprof -list '{{topSite.function}}' heap.pb.gz\n{{/code}}\n`,
    );
    expect(issuesOf([dir, DEFAULT_TEMPLATES_DIR]).map((i) => i.split(': ')[0])).toEqual([
      `${join(dir, 'go-goroutine-leak.hbs')}:2:17`,
      `${join(dir, 'go-goroutine-leak.hbs')}:5:22`,
    ]);
  });

  it('reports a syntax error with its line', () => {
    const got = issuesOf([join(FIX, 'templates-syntax')]);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/templates-syntax\/go-map-leak\.hbs:\d+:\d+: syntax error: /);
  });

  it('reports a templates directory that does not exist', () => {
    expect(issuesOf([join(FIX, 'no-such-dir')])).toEqual([
      `${join(FIX, 'no-such-dir')}: templates directory does not exist`,
    ]);
  });

  it('a user directory that only overrides some files validates with the defaults behind it', () => {
    expect(issuesOf([join(FIX, 'templates-override'), DEFAULT_TEMPLATES_DIR])).toEqual([]);
  });
});
