import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import { runCli } from '../helpers/run-cli.js';

describe('memtriage CLI', () => {
  it('facts prints a table with units and a JSON form', async () => {
    const table = await runCli('facts', 'examples/incidents/pub-map-leak');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/gctrace\.liveHeapBytes\s+88\.0 MiB\s+bytes/);
    const json = await runCli('facts', 'examples/incidents/pub-map-leak', '--format', 'json');
    const parsed = JSON.parse(json.out) as { facts: { id: string; unit: string }[] };
    expect(parsed.facts.find((f) => f.id === 'cgroup.limitBytes')?.unit).toBe('bytes');
  });

  it('diagnose names the cause in text, markdown and json', async () => {
    const text = await runCli('diagnose', 'examples/incidents/pub-goroutine-leak');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^CRITICAL +notifyd: goroutines leak/);
    const md = await runCli('diagnose', 'examples/incidents/pub-goroutine-leak', '--format', 'markdown');
    expect(md.out).toMatch(/^# notifyd: goroutines leak/);
    const slack = JSON.parse(
      (await runCli('diagnose', 'examples/incidents/pub-goroutine-leak', '--format', 'slack')).out,
    ) as {
      blocks: unknown[];
    };
    expect(slack.blocks.length).toBeGreaterThan(2);
    const json = await runCli(
      'diagnose',
      'examples/incidents/pub-healthy-go',
      '--format',
      'json',
      '--explain',
    );
    const d = JSON.parse(json.out) as { outcome: string; explain: unknown[] };
    expect(d.outcome).toBe('healthy');
    expect(d.explain.length).toBe(14);
  });

  it('writes a standalone HTML page and a real .eml with --out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-cli-out-'));
    const page = join(dir, 'runbook.html');
    const html = await runCli(
      'diagnose',
      'examples/incidents/pub-map-leak',
      '--format',
      'html',
      '--out',
      page,
    );
    expect(html.code).toBe(0);
    expect(html.out).toBe('');
    const doc = readFileSync(page, 'utf8');
    expect(doc).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(doc).toContain('<title>dedupd: a map grows without bound · memtriage</title>');
    expect(doc).toContain('<h1 class="mt-title">dedupd: a map grows without bound</h1>');
    expect(doc).toContain('.mt-badge{');
    expect(doc).not.toMatch(/<script\b|<link\b|src="http/i);

    const eml = join(dir, 'runbook.eml');
    const mail = await runCli(
      'diagnose',
      'examples/incidents/pub-map-leak',
      '--format',
      'email',
      '--out',
      eml,
    );
    expect(mail.code).toBe(0);
    const raw = readFileSync(eml, 'utf8');
    expect(raw).toMatch(/^Subject: .*dedupd/m);
    expect(raw).toMatch(/^Message-ID: <incident-pub-map-leak@memtriage>$/m);
    expect(raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(raw).toMatch(/^Content-Type: text\/html; charset=utf-8$/m);
    // the chart travels inline, referenced by cid: from the HTML part
    const cid = /^Content-ID: <([^>]+)>$/m.exec(raw)?.[1];
    expect(cid).toBeDefined();
    expect(raw).toMatch(/^Content-Type: image\/png/m);
    expect(raw).toContain(`cid:${cid}`);

    const bad = await runCli(
      'diagnose',
      'examples/incidents/pub-map-leak',
      '--out',
      join(dir, 'no/such/dir/x'),
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--out');
  });

  it('outbox list and retry find the data directory through --config, as serve does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-cli-outbox-'));
    const data = join(dir, 'state');
    await openSqliteStore(data).close();
    const config = join(dir, 'memtriage.yaml');
    writeFileSync(config, `server:\n  dataDir: ${data}\n`);
    const list = await runCli('outbox', 'list', '--config', config);
    expect(list).toMatchObject({ code: 0, out: 'outbox is empty\n' });
    expect((await runCli('outbox', 'retry', '--config', config)).out).toMatch(/^0 deliveries queued again/);
    // --data-dir still wins; without either, serve's default directory is used (and named when absent)
    expect((await runCli('outbox', 'list', '--config', config, '--data-dir', join(dir, 'none'))).code).toBe(
      2,
    );
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'server:\n  dataDir: [1\n');
    const badRun = await runCli('outbox', 'list', '--config', bad);
    expect(badRun.code).toBe(2);
    expect(badRun.err).toContain('bad.yaml');
  });

  it('exits 2 with the file named for a bad bundle, a bad flag, and bad rules', async () => {
    const missing = await runCli('diagnose', 'examples/incidents/does-not-exist');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('does-not-exist');

    const dir = mkdtempSync(join(tmpdir(), 'mt-cli-'));
    writeFileSync(join(dir, 'meta.json'), '{ not json');
    const badMeta = await runCli('facts', dir);
    expect(badMeta.code).toBe(2);
    expect(badMeta.err).toContain('meta.json');

    expect((await runCli('facts', 'examples/incidents/pub-map-leak', '--format', 'xml')).code).toBe(2);
    expect((await runCli('frobnicate')).code).toBe(2);

    const rules = mkdtempSync(join(tmpdir(), 'mt-rules-'));
    mkdirSync(join(rules, 'my-rule'));
    writeFileSync(
      join(rules, 'my-rule', 'rule.yaml'),
      'id: my-rule\ntitle: x\nseverity: warning\nrunbook: go-map-leak\nwhen:\n  all:\n    - { fact: memstats.heapInuseBytes, gt: 80% }\n',
    );
    const bad = await runCli('rules', 'validate', rules);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/my-rule\/rule\.yaml:7:\d+: unit-mismatch/);
  });

  it("rules validate exits 2 naming file:line:col of a value inside a shell command's quotes in a user template", async () => {
    const dir = 'test/fixtures/runbook/templates-unsafe-shell';
    const bad = await runCli('rules', 'validate', '--templates', dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('8 problems in the runbook templates');
    expect(bad.err).toContain(
      `${dir}/go-goroutine-leak.hbs:4:17: {{target.instance}} is inside '…' in a shell command`,
    );
    expect(bad.err).toContain(
      `${dir}/go-goroutine-leak.hbs:13:24: {{target.service}} is an argument of a command`,
    );
    expect(bad.out).toBe('');
    const ok = await runCli('rules', 'validate', '--templates', 'test/fixtures/runbook/templates-override');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('templates valid');
  });

  it('rules validate and rules test pass on the shipped rules', async () => {
    expect((await runCli('rules', 'validate')).code).toBe(0);
    const t = await runCli('rules', 'test');
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/\n(\d+) passed, 0 failed\n$/);
  });

  it('rules test exits 1 and explains a failing case', async () => {
    const rules = mkdtempSync(join(tmpdir(), 'mt-rules-'));
    mkdirSync(join(rules, 'too-strict'));
    writeFileSync(
      join(rules, 'too-strict', 'rule.yaml'),
      'id: too-strict\ntitle: x\nseverity: info\nrunbook: go-map-leak\nwhen:\n  all:\n    - { fact: memstats.goroutines, gt: 100000 }\n',
    );
    writeFileSync(
      join(rules, 'too-strict', 'cases.yaml'),
      `fires:\n  - { name: leak, bundle: ${join(process.cwd(), 'examples/incidents/pub-goroutine-leak')} }\n`,
    );
    const t = await runCli('rules', 'test', rules);
    expect(t.code).toBe(1);
    expect(t.out).toContain('FAIL  too-strict fires "leak"');
    expect(t.out).toMatch(/✗ memstats\.goroutines = 2,993/);
    // the shipped rules' cases ran beside it, and pass
    expect(t.out).toMatch(/^ok {4}go-map-leak fires/m);
    expect(t.out).toMatch(/\n\d+ passed, 1 failed\n$/);
    // with --no-default-rules only the DIR's cases run
    const only = await runCli('rules', 'test', rules, '--no-default-rules');
    expect(only.out).toMatch(/0 passed, 1 failed\n$/);
  });

  it("rules test fails a user rule that takes a shipped rule's top cause on the shipped fixture", async () => {
    const rules = mkdtempSync(join(tmpdir(), 'mt-rules-'));
    mkdirSync(join(rules, 'greedy'));
    writeFileSync(
      join(rules, 'greedy', 'rule.yaml'),
      'id: greedy\ntitle: anything that grows\nseverity: critical\nconfidence: 0.99\nrunbook: go-map-leak\nwhen:\n  all:\n    - { fact: signal.liveHeapSlopeBytesPerSecond, gt: 1 }\n',
    );
    writeFileSync(
      join(rules, 'greedy', 'cases.yaml'),
      `fires:\n  - { name: grows, bundle: ${join(process.cwd(), 'examples/incidents/pub-map-leak')} }\n`,
    );
    const t = await runCli('rules', 'test', rules);
    expect(t.code).toBe(1);
    expect(t.out).toMatch(/^ok {4}greedy fires "grows"/m);
    expect(t.out).toMatch(/^FAIL {2}go-map-leak fires .*pub-map-leak/m);
  });

  it('backtest exits 1 on an invalid candidate and replays a bundle directory', async () => {
    const bad = await runCli('backtest', '--rules', '/nonexistent/rules', '--bundles', 'examples/incidents');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('candidate ruleset is invalid');
    const same = await runCli(
      'backtest',
      '--rules',
      'rules',
      '--no-default-rules',
      '--bundles',
      'examples/incidents',
    );
    expect(same.code).toBe(0);
    expect(same.out).toMatch(
      /11 incidents replayed: 0 changed, 0 appeared, 0 disappeared, 11 unchanged, 0 errors/,
    );
  });

  it('render turns a saved diagnosis into a runbook and rejects what is not one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-render-'));
    const saved = join(dir, 'd.json');
    writeFileSync(
      saved,
      (await runCli('diagnose', 'examples/incidents/pub-jvm-offheap', '--format', 'json')).out,
    );
    const md = await runCli('render', saved, '--channel', 'markdown');
    expect(md.code).toBe(0);
    expect(md.out).toContain('Metaspace');
    const email = JSON.parse((await runCli('render', saved, '--channel', 'email')).out) as {
      subject: string;
      html: string;
    };
    expect(email.subject).toMatch(/jvm|JVM|memory/i);
    expect(email.html).toContain('<');
    writeFileSync(join(dir, 'bad.json'), '{"version": 1, "causes": "no"}');
    const bad = await runCli('render', join(dir, 'bad.json'), '--channel', 'text');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad\.json: not a memtriage diagnosis.*causes: must be an array/);
    expect((await runCli('render', saved, '--channel', 'pdf')).code).toBe(2);
  });
});
