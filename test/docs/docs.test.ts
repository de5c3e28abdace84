import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandNames } from '../../engine/cli/main.js';
import { parseConfig } from '../../engine/config/load-config.js';
import { parse as parseYaml } from 'yaml';

/**
 * Docs that work: what a reader copies out of the README and docs/ must run. The systemd unit passes
 * `systemd-analyze verify`, every relative link resolves, every `memtriage <command>` exists, and
 * commands to type say `npx memtriage` (a bare `memtriage` is not on PATH after `npm ci`).
 */

/** The guides a reader follows, and the READMEs they link to. */
const DOCS = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  'templates/README.md',
  'engine/rules/README.md',
  'corpus/README.md',
  'examples/incidents/README.md',
  ...readdirSync('rules').map((id) => `rules/${id}/README.md`),
].filter((f) => existsSync(f));

interface Fence {
  lang: string;
  body: string;
}

function fences(md: string): Fence[] {
  return [...md.matchAll(/^```([\w-]*)[^\n]*\n([\s\S]*?)^```/gm)].map((m) => ({
    lang: m[1] ?? '',
    body: m[2] ?? '',
  }));
}

/** The text outside fenced blocks, with inline code spans removed (links in code are not links). */
function prose(md: string): string {
  return md.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

function inlineCode(md: string): string[] {
  return [...md.replace(/^```[\s\S]*?^```/gm, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? '');
}

const SHELL = new Set(['sh', 'bash', 'shell', 'console']);

/** `memtriage <word> [<word>]` where memtriage is the program (not `bin/memtriage.js`, `memtriage-data`, `memtriage_*`). */
const INVOCATION = /(?<![\w/.-])memtriage[ \t]+([a-z][a-z-]*)(?:[ \t]+([a-z][a-z-]*))?/g;

/** Commands named in code: inline spans, and shell blocks with their comments removed. */
function commandMentions(md: string): string[] {
  const code = [
    ...inlineCode(md),
    ...fences(md)
      .filter((f) => SHELL.has(f.lang))
      .flatMap((f) => f.body.split('\n').map((line) => line.replace(/(^|\s)#.*$/, ''))),
  ];
  return code.flatMap((text) => [...text.matchAll(INVOCATION)].map((m) => m[0]));
}

describe('the systemd unit in docs/deploy.md', () => {
  const unit = (() => {
    const block = fences(readFileSync('docs/deploy.md', 'utf8')).find(
      (f) => f.lang === 'ini' && f.body.startsWith('# /etc/systemd/system/memtriage.service'),
    );
    if (!block) throw new Error('docs/deploy.md has no ```ini block for memtriage.service');
    return block.body;
  })();

  it('keeps comments on their own lines and StateDirectory= relative (the rules systemd applies)', () => {
    expect(unitSyntaxProblems(unit)).toEqual([]);
  });

  it('the rules catch what the issue found: a trailing comment and an absolute StateDirectory=', () => {
    const broken =
      '[Service]\nEnvironmentFile=/etc/memtriage/secrets.env   # tokens\nStateDirectory=/var/lib/memtriage\n';
    expect(unitSyntaxProblems(broken)).toEqual([
      'line 2: a "#" after a value is part of the value (systemd comments are whole lines)',
      'line 3: StateDirectory= must be relative to /var/lib (got /var/lib/memtriage)',
    ]);
  });

  const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));
  // CI installs systemd (.ci/run); elsewhere the syntax rules above still run.
  it.skipIf(!analyze && !process.env['CI'])('passes `systemd-analyze verify` without a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-unit-'));
    try {
      const file = join(dir, 'memtriage.service');
      // verify checks that ExecStart's program exists; the doc's /usr/bin/node is Debian's.
      writeFileSync(
        file,
        existsSync('/usr/bin/node') ? unit : unit.replace('/usr/bin/node', process.execPath),
      );
      const r = spawnSync(analyze ?? 'systemd-analyze', ['verify', file], { encoding: 'utf8' });
      expect(r.error).toBeUndefined();
      expect(`${r.stdout}${r.stderr}`.split('\n').filter((l) => l.includes('memtriage'))).toEqual([]);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The unit-file rules `systemd-analyze verify` warns about (or, for a trailing comment, silently
 * folds into the value): comments are whole lines, and the *Directory= settings are relative.
 */
function unitSyntaxProblems(unit: string): string[] {
  const problems: string[] = [];
  unit.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || /^\[\w+\]$/.test(line)) return;
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!m) {
      problems.push(`line ${i + 1}: not a Key=value line: ${line}`);
      return;
    }
    const [, key = '', value = ''] = m;
    if (/\s[#;]/.test(value)) {
      problems.push(
        `line ${i + 1}: a "#" after a value is part of the value (systemd comments are whole lines)`,
      );
    }
    if (/^(State|Runtime|Cache|Logs|Configuration)Directory$/.test(key)) {
      for (const dir of value.split(/\s+/).filter(Boolean)) {
        if (dir.startsWith('/') || dir.split('/').includes('..')) {
          problems.push(`line ${i + 1}: ${key}= must be relative to /var/lib (got ${dir})`);
        }
      }
    }
  });
  return problems;
}

describe('links in README.md and docs/', () => {
  it.each(DOCS)('every relative link in %s names a file in the repository (and a heading there)', (doc) => {
    const text = prose(readFileSync(doc, 'utf8'));
    const targets = [
      ...[...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] ?? ''),
      ...[...text.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1] ?? ''),
    ].filter((t) => !/^[a-z][a-z+.-]*:/i.test(t));
    const broken = targets.filter((target) => {
      const [path = '', anchor] = target.split('#');
      const file = path === '' ? doc : join(dirname(doc), decodeURI(path));
      if (!existsSync(file)) return true;
      return anchor !== undefined && file.endsWith('.md') && !headingSlugs(file).has(anchor);
    });
    expect(broken).toEqual([]);
  });

  it('the check sees a link to a file that is not in the repository', () => {
    expect(existsSync(resolve('DESIGN.md'))).toBe(false);
    const text = prose('See [the design](DESIGN.md) and `[not a link](nowhere.md)`.');
    expect([...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1])).toEqual(['DESIGN.md']);
  });
});

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces as hyphens. */
function headingSlugs(file: string): Set<string> {
  return new Set(
    [...readFileSync(file, 'utf8').matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) =>
      (m[1] ?? '')
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );
}

describe('commands the docs mention', () => {
  const commands = new Set(commandNames());
  const withSubcommands = new Set([...commands].filter((c) => c.includes(' ')).map((c) => c.split(' ')[0]));

  it('knows the CLI', () => {
    expect(commands).toContain('diagnose');
    expect(commands).toContain('outbox retry');
    expect(commands).not.toContain('inspect');
  });

  it.each(DOCS)('every `memtriage <command>` in %s exists', (doc) => {
    const unknown = commandMentions(readFileSync(doc, 'utf8')).filter((mention) => {
      const [, first = '', second = ''] = mention.split(/[ \t]+/);
      return withSubcommands.has(first) ? !commands.has(`${first} ${second}`) : !commands.has(first);
    });
    expect(unknown).toEqual([]);
  });

  it.each(DOCS)('%s says `npx memtriage` where a reader types a command', (doc) => {
    const md = readFileSync(doc, 'utf8');
    const bare = [
      // a command line in a shell block: at the start, or after && ; | $(
      ...fences(md)
        .filter((f) => SHELL.has(f.lang))
        .flatMap((f) => f.body.split('\n'))
        .filter((line) => /(^|&&|;|\||\$\()\s*(\$\s+)?memtriage\s/.test(line.replace(/(^|\s)#.*$/, ''))),
      // an inline command with arguments (a bare command name, `memtriage collect`, is a name)
      ...inlineCode(md).filter(
        (span) => /^memtriage\s/.test(span) && !commands.has(span.replace(/^memtriage\s+/, '')),
      ),
    ];
    expect(bare).toEqual([]);
  });
});

describe('config snippets in docs/', () => {
  /** memtriage config documents: fenced YAML whose first key is a config section, and the Kubernetes ConfigMap's config.yaml. */
  const SECTIONS =
    /^(server|store|auth|retention|rules|targets|channels|routes|defaultRoute|outbox|pipeline):/m;
  const snippets = ['docs/config.md', 'docs/deploy.md'].flatMap((doc) =>
    fences(readFileSync(doc, 'utf8'))
      .filter((f) => f.lang === 'yaml')
      .flatMap((f, i) => {
        if (f.body.includes('kind: ConfigMap')) {
          return f.body
            .split(/^---$/m)
            .map((d) => parseYaml(d) as { kind?: string; data?: Record<string, string> })
            .filter((d) => d?.kind === 'ConfigMap' && d.data?.['config.yaml'])
            .map((d) => ({ name: `${doc} ConfigMap`, yaml: d.data?.['config.yaml'] ?? '' }));
        }
        const first = f.body.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
        return SECTIONS.test(first) ? [{ name: `${doc} block ${i + 1}`, yaml: f.body }] : [];
      }),
  );

  it('finds the auth example, the ConfigMap and the node-agent targets', () => {
    expect(snippets.map((s) => s.name)).toEqual(
      expect.arrayContaining(['docs/deploy.md ConfigMap', expect.stringMatching(/^docs\/config\.md block/)]),
    );
    expect(snippets.length).toBeGreaterThanOrEqual(3);
  });

  it.each(snippets.map((s) => [s.name, s.yaml] as const))('%s is a valid config', (_name, yaml) => {
    const env = Object.fromEntries(
      [...yaml.matchAll(/\$\{(\w+)\}/g)].map((m) => [
        m[1] ?? '',
        // a store URL must be one (the schema checks its scheme); every other secret is opaque
        m[1]?.endsWith('STORE_URL') ? 'postgres://memtriage:secret@db:5432/memtriage' : 'x'.repeat(20),
      ]),
    );
    expect(() => parseConfig('doc.yaml', yaml, env)).not.toThrow();
  });
});
