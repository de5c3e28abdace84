import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadTemplateSet,
  renderRunbook,
  TemplateError,
  TemplateMissingError,
  TemplateRenderError,
} from '../../engine/runbook/index.js';
import { DEFAULT_TEMPLATES_DIR } from '../../engine/paths.js';
import type { Block, Runbook } from '../../engine/runbook/types.js';
import { cause, diagnosis, mapLeak } from '../fixtures/runbook/hand-diagnoses.js';

const FIX = 'test/fixtures/runbook';
const codeOf = (rb: Runbook) =>
  rb.blocks.flatMap((b) =>
    b.kind === 'code'
      ? [b.code]
      : b.kind === 'steps'
        ? b.steps.flatMap((s) => (s.code ? [s.code.code] : []))
        : [],
  );
const find = <K extends Block['kind']>(rb: Runbook, kind: K, heading?: string) =>
  rb.blocks.find(
    (b): b is Extract<Block, { kind: K }> =>
      b.kind === kind && (heading === undefined || b.heading === heading),
  );

/** A templates directory made on the fly, for the template language itself. */
function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mt-tpl-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('renderRunbook', () => {
  it('builds every block kind from the map-leak template, commands attached to their steps', () => {
    const rb = renderRunbook(mapLeak());
    expect(rb.templateId).toBe('go-map-leak');
    expect(rb.severity).toBe('critical');
    expect(new Set(rb.blocks.map((b) => b.kind))).toEqual(
      new Set(['text', 'evidence', 'list', 'chart', 'steps', 'code', 'links']),
    );
    const now = find(rb, 'steps', 'Right now')!;
    expect(now.steps[0]!.code?.lang).toBe('sh');
    // Evidence first (seconds), the slow diff last (issue 10 §2).
    expect(now.steps[0]!.code?.code).toContain('curl -s -o heap-1.pb.gz');
    expect(now.steps[2]!.code?.code).toContain(
      'go tool pprof -sample_index=inuse_space -top -diff_base heap-1.pb.gz heap-2.pb.gz',
    );
    const chart = find(rb, 'chart')!;
    expect(chart.chart.limit).toEqual({ label: 'container limit', value: 256 * 1024 * 1024 });
    expect(chart.chart.series.map((s) => s.name)).toEqual(['live heap after GC', 'GC heap goal']);
    expect(find(rb, 'list', 'Placeholders in the commands')!.items).toHaveLength(1);
  });

  it('fills commands for this incident when the target is known, and drops the placeholder notes', () => {
    const rb = renderRunbook(mapLeak(), { target: { instance: '10.1.2.3:6060', pid: '4242' } });
    expect(codeOf(rb).join('\n')).toContain('curl -s -o heap-1.pb.gz http://10.1.2.3:6060/debug/pprof/heap');
    expect(find(rb, 'list', 'Placeholders in the commands')).toBeUndefined();
  });

  it("never points a command at the host an alert's instance label names: a placeholder, and the label shown as data with a warning", () => {
    const labelled = renderRunbook({
      ...mapLeak(),
      incident: { ...mapLeak().incident, labels: { instance: 'evil.example:6060' } },
    });
    const code = codeOf(labelled).join('\n');
    expect(code).not.toContain('evil.example');
    expect(code).toContain('http://<host:port>/debug/pprof/heap');
    const note = JSON.stringify(find(labelled, 'list', 'Placeholders in the commands'));
    expect(note).toContain('evil.example:6060');
    expect(note).toContain('came with the alert');
    // The server passes its configured target, which wins over everything; null means "none known".
    const configured = renderRunbook(
      { ...mapLeak(), incident: { ...mapLeak().incident, target: { instance: 'evil.example:1' } } },
      { target: { instance: null } },
    );
    expect(codeOf(configured).join('\n')).not.toContain('evil.example');
  });

  it('renders every shipped template on a diagnosis with no facts at all, printing no undefined/NaN', () => {
    const ids = [...loadTemplateSet([DEFAULT_TEMPLATES_DIR]).templates.keys()].filter(
      (id) => id !== 'no-cause',
    );
    expect(ids.length).toBe(14);
    for (const id of ids) {
      const rb = renderRunbook(diagnosis('svc', { causes: [cause(id, `Rule ${id}`, [])] }));
      const json = JSON.stringify(rb);
      expect(json, id).not.toMatch(/undefined|NaN|null|\[object /);
      expect(rb.summary.length, id).toBeGreaterThan(0);
      expect(
        rb.blocks.some((b) => b.kind === 'steps'),
        id,
      ).toBe(true);
    }
  });

  it('no-cause: inconclusive lists what to collect once (the missing sources are its first lines, not a second list)', () => {
    const rb = renderRunbook(
      diagnosis('pricingd', {
        outcome: 'inconclusive',
        collectNext: ['memstats: no memstats.jsonl in the bundle'],
        missingSources: [{ source: 'memstats', reason: 'no memstats.jsonl in the bundle' }],
      }),
    );
    expect(rb.templateId).toBe('no-cause');
    expect(rb.title).toBe('pricingd: no cause found (inconclusive)');
    expect(rb.severity).toBe('info');
    expect(find(rb, 'list', 'Collect next')!.items[0]).toEqual([
      { kind: 'text', text: 'memstats: no memstats.jsonl in the bundle' },
    ]);
    expect(find(rb, 'list', 'Missing sources')).toBeUndefined();
  });

  it('lists what acquisition could not get, each problem once with its count', () => {
    const rb = renderRunbook(
      diagnosis('pricingd', {
        outcome: 'inconclusive',
        acquisition: {
          target: 'pricing',
          nothingAcquired: false,
          problems: [
            { source: 'pprof', message: 'GET /debug/pprof/heap: HTTP 404', count: 3 },
            {
              source: 'expvar',
              message: 'GET /debug/vars: connect ECONNREFUSED 10.0.0.1:6060 (ECONNREFUSED)',
              count: 1,
            },
          ],
        },
      }),
    );
    expect(find(rb, 'list', 'What memtriage could not get')!.items).toEqual([
      [{ kind: 'text', text: 'pprof: GET /debug/pprof/heap: HTTP 404 (×3)' }],
      [{ kind: 'text', text: 'expvar: GET /debug/vars: connect ECONNREFUSED 10.0.0.1:6060 (ECONNREFUSED)' }],
    ]);
  });

  it('says what the parsers could not read, the first five and how many more, as text', () => {
    const warnings = [
      {
        file: 'gctrace.log',
        line: 25,
        message: 'truncated or garbled gctrace line, skipped: gc 25 @55.5s *x* <b>',
      },
      ...Array.from({ length: 6 }, (_, i) => ({ file: `cgroup/${i}/memory.stat`, message: 'garbled line' })),
    ];
    const rb = renderRunbook({ ...mapLeak(), warnings });
    const items = find(rb, 'list', 'What memtriage could not read')!.items;
    expect(items).toHaveLength(6);
    // a value, never markup: the file's bytes stay literal text
    expect(items[0]).toEqual([
      {
        kind: 'text',
        text: 'gctrace.log:25: truncated or garbled gctrace line, skipped: gc 25 @55.5s *x* <b>',
      },
    ]);
    expect(items[5]).toEqual([{ kind: 'text', text: '… and 2 more (memtriage facts lists them all)' }]);
    expect(find(renderRunbook(mapLeak()), 'list', 'What memtriage could not read')).toBeUndefined();
  });

  it('a user directory overrides a template and a partial', () => {
    const rb = renderRunbook(mapLeak(), { templatesDirs: [join(FIX, 'templates-override')] });
    expect(rb.title).toBe('dedupd: map leak (team runbook)');
    expect(rb.summary).toEqual([
      { kind: 'text', text: 'Page the owning team: unknown team. Live heap 88.0 MiB.' },
    ]);
    expect(rb.blocks).toEqual([
      {
        kind: 'text',
        heading: 'Team evidence',
        paragraphs: [
          [
            { kind: 'text', text: 'Overridden evidence partial for ' },
            { kind: 'strong', text: 'go-map-leak' },
            { kind: 'text', text: '.' },
          ],
        ],
      },
    ]);
  });

  it('a user directory may override only a partial that shipped templates use', () => {
    const rb = renderRunbook(diagnosis('routed', { causes: [cause('go-gc-thrash', 'GC thrash', [])] }), {
      templatesDirs: [join(FIX, 'templates-partial-only')],
    });
    expect(find(rb, 'links')).toEqual({
      kind: 'links',
      heading: 'Team links',
      links: [{ label: 'Our memory playbook', url: 'https://wiki.example.com/memory' }],
    });
  });

  it('refuses broken templates with every issue, and a missing template by id', () => {
    expect(() => renderRunbook(mapLeak(), { templatesDirs: [join(FIX, 'templates-broken')] })).toThrow(
      TemplateError,
    );
    try {
      renderRunbook(mapLeak(), { templatesDirs: [join(FIX, 'templates-broken')] });
    } catch (err) {
      expect((err as TemplateError).code).toBe('MT_ERR_TEMPLATE_INVALID');
      expect((err as TemplateError).issues.length).toBeGreaterThan(10);
      expect((err as Error).message).toContain('go-map-leak.hbs:3:1: unknown helper "frobnicate"');
    }
    const d = diagnosis('x', { causes: [cause('made-up', 'Made up', [], { runbook: 'made-up' })] });
    expect(() => renderRunbook(d)).toThrow(TemplateMissingError);
    expect(() => renderRunbook(d)).toThrow(/no runbook template "made-up\.hbs"/);
  });
});

describe('an error inside a partial blames the template that included it', () => {
  const shippedPlaceholders = join(DEFAULT_TEMPLATES_DIR, '_partials', 'placeholders.hbs');
  const issuesOf = (dir: string): string[] => {
    try {
      renderRunbook(mapLeak(), { templatesDirs: [dir] });
    } catch (err) {
      expect(err).toBeInstanceOf(TemplateError);
      return (err as TemplateError).issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.message}`);
    }
    throw new Error('expected a TemplateError');
  };

  it("a shipped partial given the wrong context: at the user template's {{> …}}, naming the partial and its line", () => {
    // `placeholders` reads target.*: inside {{#with alert}} its context is the alert, which has no target
    const dir = dirWith({
      'go-map-leak.hbs':
        '{{#title}}t{{/title}}\n{{#with alert}}\n{{> placeholders host=true pid=false cgroup=false}}\n{{/with}}\n',
    });
    const got = issuesOf(dir);
    const template = join(dir, 'go-map-leak.hbs');
    expect(got.length).toBeGreaterThan(0);
    for (const issue of got) {
      expect(issue.startsWith(`${template}:3:1: in partial "placeholders" (${shippedPlaceholders}:`)).toBe(
        true,
      );
    }
    expect(got).toContainEqual(
      expect.stringMatching(
        /\(.*placeholders\.hbs:\d+:\d+\): "target\.instance": the context has no field "target"/,
      ),
    );
    // the message of the error says the same
    expect(() => renderRunbook(mapLeak(), { templatesDirs: [dir] })).toThrow(
      `${template}:3:1: in partial "placeholders"`,
    );
  });

  it('through a user partial: the chain of partials, blamed on the template', () => {
    const dir = dirWith({
      'go-map-leak.hbs': '{{#title}}t{{/title}}\n{{#each causes}}{{> mine}}{{/each}}\n',
      '_partials/mine.hbs': 'cause: {{this.title}}\n{{> placeholders host=true pid=false cgroup=false}}\n',
    });
    const got = issuesOf(dir);
    const prefix = `${join(dir, 'go-map-leak.hbs')}:2:17: in partial "mine" → "placeholders" (${shippedPlaceholders}:`;
    expect(got.length).toBeGreaterThan(0);
    for (const issue of got) expect(issue.startsWith(prefix)).toBe(true);
    expect(got).toContainEqual(expect.stringContaining('): "target.pid": the context has no field "target"'));
  });

  it('a user partial that throws while rendering: the including template and the partial are named', () => {
    // passes the static check; Handlebars refuses it when it renders
    const dir = dirWith({
      'go-map-leak.hbs': '{{#title}}t{{/title}}\n{{> outer}}\n',
      '_partials/outer.hbs': 'before {{> inner}} after\n',
      '_partials/inner.hbs': '{{#with}}x{{/with}}\n',
    });
    let err: unknown;
    try {
      renderRunbook(mapLeak(), { templatesDirs: [dir] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TemplateRenderError);
    expect((err as TemplateRenderError).code).toBe('MT_ERR_TEMPLATE_RENDER');
    expect((err as Error).message).toBe(
      `${join(dir, 'go-map-leak.hbs')}: in partial "outer" → "inner" (${join(dir, '_partials', 'inner.hbs')}): #with requires exactly one argument`,
    );
    // a throw in the template itself still names just the template
    const own = dirWith({ 'go-map-leak.hbs': '{{#title}}t{{/title}}\n{{#with}}x{{/with}}\n' });
    expect(() => renderRunbook(mapLeak(), { templatesDirs: [own] })).toThrow(
      `${join(own, 'go-map-leak.hbs')}: #with requires exactly one argument`,
    );
  });
});

describe('edited templates', () => {
  it('apply to the next render, also a same-size edit, an added partial and a removed template', () => {
    const dir = dirWith({ 'go-map-leak.hbs': '{{#title}}one{{/title}}' });
    expect(renderRunbook(mapLeak(), { templatesDirs: [dir] }).title).toBe('one');
    writeFileSync(join(dir, 'go-map-leak.hbs'), '{{#title}}two{{/title}}');
    expect(renderRunbook(mapLeak(), { templatesDirs: [dir] }).title).toBe('two');
    mkdirSync(join(dir, '_partials'));
    writeFileSync(join(dir, '_partials/t.hbs'), '{{#title}}three{{/title}}');
    writeFileSync(join(dir, 'go-map-leak.hbs'), '{{> t}}');
    expect(renderRunbook(mapLeak(), { templatesDirs: [dir] }).title).toBe('three');
    rmSync(join(dir, 'go-map-leak.hbs'));
    expect(renderRunbook(mapLeak(), { templatesDirs: [dir] }).templateId).toBe('go-map-leak');
    expect(renderRunbook(mapLeak(), { templatesDirs: [dir] }).title).not.toBe('three');
  });
});

describe('the template language', () => {
  const render = (body: string, d = mapLeak()) =>
    renderRunbook(d, { templatesDirs: [dirWith({ 'go-map-leak.hbs': body })] });

  it('reads **strong**, `code` and [links](https://…) from template text only', () => {
    const rb = render(
      '{{#section "S"}}**bold** and `code` and [docs](https://go.dev/doc) and [bad](javascript:x) {{label "x"}}{{/section}}',
    );
    expect(find(rb, 'text')!.paragraphs[0]).toEqual([
      { kind: 'strong', text: 'bold' },
      { kind: 'text', text: ' and ' },
      { kind: 'code', text: 'code' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'docs', url: 'https://go.dev/doc' },
      { kind: 'text', text: ' and bad' },
    ]);
  });

  it('keeps interpolated values literal, even inside markup', () => {
    const d = mapLeak();
    d.incident.labels = { x: '**not bold** `not code` [not](https://link.example)' };
    const rb = render('{{#section}}`{{label "x"}}` and {{label "x"}}{{/section}}', d);
    expect(find(rb, 'text')!.paragraphs[0]).toEqual([
      { kind: 'code', text: '**not bold** `not code` [not](https://link.example)' },
      { kind: 'text', text: ' and **not bold** `not code` [not](https://link.example)' },
    ]);
  });

  it('shell-quotes values that a shell would interpret, and keeps <placeholders>', () => {
    const d = mapLeak();
    d.incident.labels = { pid: '1 2', cgroup: '</etc/passwd>' };
    d.incident.target = { instance: "a'b;$(x)" };
    const rb = render(
      '{{#code "sh"}}\n  curl http://{{target.instance}}/x\n  kill {{or target.pid "<pid>"}} {{or (label "none") "<cgroup>"}}\n  cd {{target.cgroup}}\n{{/code}}',
      d,
    );
    // A pid that is not a number is not used; a label that looks like a placeholder is still a value.
    expect(find(rb, 'code')!.code).toBe(
      `curl http://'a'\\''b;$(x)'/x\nkill <pid> <cgroup>\ncd '</etc/passwd>'`,
    );
    const go = render('{{#code "go"}}s := "{{target.instance}}"{{/code}}', d);
    expect(find(go, 'code')!.code).toBe(`s := "a'b;$(x)"`);
  });

  it('turns top-level text into text and list blocks, and reads a field shadowed by a helper via this.', () => {
    const rb = render('Intro line\n\n- one\n- two\n\n{{#each causes}}{{this.title}}{{/each}}\n');
    expect(rb.blocks).toEqual([
      { kind: 'text', paragraphs: [[{ kind: 'text', text: 'Intro line' }]] },
      { kind: 'list', items: [[{ kind: 'text', text: 'one' }], [{ kind: 'text', text: 'two' }]] },
      { kind: 'text', paragraphs: [[{ kind: 'text', text: 'Go map grows without bound' }]] },
    ]);
  });

  it('omits a chart whose series the bundle lacks, and formats numbers with helpers', () => {
    const rb = render(
      '{{chart "jvm.offHeapCommittedBytes"}}{{#section}}{{bytes 1536}} {{rate 3355443}} {{duration 200}} {{percent 0.423}} {{pct 17.24}} {{perSecond 21744.3}} {{gomemlimit 268435456}} {{value "gctrace.liveHeapBytes"}} {{value "jvm.classes"}}{{/section}}',
    );
    expect(find(rb, 'chart')).toBeUndefined();
    expect(find(rb, 'text')!.paragraphs[0]).toEqual([
      { kind: 'text', text: '1.5 KiB 3.2 MiB/s 3m 20s 42.3% 17.24% 21,744/s 230MiB 88.0 MiB unknown' },
    ]);
  });
});
