import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/**
 * The shipped CLI, as users run it: `node bin/memtriage.js …` on the JavaScript compiled to dist/
 * (`npm test` and `npm ci` build it). The other CLI tests call main() on the TypeScript sources; these
 * check that the build resolves the same rules, templates and package.json, and that a command
 * imports only its own modules.
 */
function bin(...argv: string[]) {
  const r = spawnSync(process.execPath, ['bin/memtriage.js', ...argv], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The CommonJS packages a command loaded, from a fresh node running dist/ with output discarded. */
function packagesLoadedBy(...argv: string[]): string[] {
  const script = `
    import { createRequire } from 'node:module';
    const { main } = await import('./dist/engine/cli/main.js');
    await main(${JSON.stringify(argv)}, { out() {}, err() {}, isTty: false });
    const names = Object.keys(createRequire(import.meta.url).cache)
      .map((f) => /node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(f)?.[1])
      .filter(Boolean);
    process.stdout.write(JSON.stringify([...new Set(names)]));`;
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
  ) as string[];
}

describe('bin/memtriage.js (built)', () => {
  it('runs the compiled JavaScript, with no TypeScript loader', () => {
    const source = readFileSync('bin/memtriage.js', 'utf8');
    expect(source).toContain('../dist/engine/cli/main.js');
    expect(source).not.toMatch(/tsx/);
  });

  it('--version reads package.json and --help lists the commands', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(bin('--version')).toMatchObject({ code: 0, out: `${pkg.version}\n` });
    const help = bin('--help');
    expect(help.code).toBe(0);
    for (const cmd of ['diagnose', 'facts', 'eval', 'rules', 'serve', 'collect', 'backtest', 'outbox'])
      expect(help.out).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
  });

  it('diagnose prints the same runbook as the TypeScript sources (default rules and templates found)', async () => {
    const built = bin('diagnose', 'examples/incidents/pub-map-leak');
    expect(built.err).toBe('');
    expect(built.code).toBe(0);
    expect(built.out).toMatch(/^CRITICAL +dedupd: a map grows without bound/);
    expect(built.out).toBe((await runCli('diagnose', 'examples/incidents/pub-map-leak')).out);
  });

  it('rules validate finds the embedded defaults; bad input still exits 2', () => {
    expect(bin('rules', 'validate').code).toBe(0);
    const bad = bin('diagnose', 'examples/incidents/no-such-bundle');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^memtriage: /);
  });

  it('--help and diagnose load none of the server, store, delivery or PNG packages', () => {
    const heavy = [
      'fastify',
      'better-sqlite3',
      '@slack/web-api',
      'nodemailer',
      '@resvg/resvg-js',
      'prom-client',
      'pino',
    ];
    expect(packagesLoadedBy('--help')).toEqual(['commander']);
    const diagnose = packagesLoadedBy('diagnose', 'examples/incidents/pub-map-leak');
    expect(diagnose).toContain('json-rules-engine');
    for (const name of heavy) expect(diagnose).not.toContain(name);
  });
});
