import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../engine/server/start-server.js';
import { formatRunbookMarkdown } from '../../engine/runbook/index.js';
import { formatRunbook } from '../../integrations/format-runbook.js';
import type { Runbook } from '../../engine/runbook/types.js';
import { loadCaptured, startReplayServer, type ReplayServer } from '../collect/helpers/replay-server.js';
import { until } from '../helpers/until.js';

/**
 * One Alertmanager notification with two alerts (two instances of one service), two real Go
 * targets on two loopback addresses serving captured bundles, the server over real HTTP: each
 * alert gets its own incident, evidence from its own target, its own runbook naming the other.
 */
let dir: string;
let server: RunningServer | undefined;
let goA: ReplayServer;
let goB: ReplayServer;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mt-inst-'));
  goA = await startReplayServer(loadCaptured('examples/incidents/pub-map-leak'), { host: '127.0.0.1' });
  goB = await startReplayServer(loadCaptured('examples/incidents/pub-gc-thrash'), { host: '127.0.0.2' });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await goA.close();
  await goB.close();
  rmSync(dir, { recursive: true, force: true });
});

const hostPort = (url: string) => new URL(url).host;

export function twoAlerts(instances: readonly string[], status: 'firing' | 'resolved' = 'firing') {
  return {
    version: '4',
    groupKey: '{}:{alertname="GoMemoryHigh"}',
    receiver: 'memtriage',
    status,
    groupLabels: { alertname: 'GoMemoryHigh' },
    commonLabels: { alertname: 'GoMemoryHigh', service: 'checkout', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: instances.map((instance, i) => ({
      status,
      labels: { alertname: 'GoMemoryHigh', service: 'checkout', severity: 'critical', instance },
      annotations: { summary: `checkout ${instance} heap growing` },
      startsAt: '2026-12-06T06:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: `f00d00000000000${i}`,
    })),
  };
}

export const postAlert = (url: string, body: unknown) =>
  fetch(`${url}/webhook/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

export function openRunbooks(file: string): { incidentId: string; runbook: Runbook }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; incidentId: string; runbook: Runbook })
    .filter((l) => l.kind === 'open');
}

describe('one notification with two alerts (two instances)', () => {
  it('gives each instance its own incident, evidence from its own target and its own runbook; the runbooks link each other', async () => {
    const a = hostPort(goA.url);
    const b = hostPort(goB.url);
    writeFileSync(
      join(dir, 'memtriage.yaml'),
      [
        'server: { dataDir: ./data, externalUrl: "https://memtriage.example/" }',
        'channels: { archive: { type: file, path: ./runbooks.jsonl } }',
        'defaultRoute: { channels: [archive] }',
        'targets:',
        `  - { name: checkout-a, match: { service: checkout, instance: '${a}' }, go: '${goA.url}', duration: 0s }`,
        `  - { name: checkout-b, match: { service: checkout, instance: '${b}' }, go: '${goB.url}', duration: 0s }`,
      ].join('\n'),
    );
    server = await startServer({ config: join(dir, 'memtriage.yaml'), port: 0, logger: false });
    const res = await postAlert(server.url, twoAlerts([a, b]));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { incidents: { id: string; outcome: string }[] };
    expect(body.incidents.map((i) => i.outcome)).toEqual(['new', 'new']);
    const [idA, idB] = body.incidents.map((i) => i.id) as [string, string];

    const file = join(dir, 'runbooks.jsonl');
    const opened = await until('two runbooks', () => {
      const o = openRunbooks(file);
      return o.length === 2 ? o : undefined;
    });
    // each target was asked once per incident: A's evidence came from A, B's from B
    expect(goA.requests.filter((r) => r === '/debug/vars')).toHaveLength(1);
    expect(goB.requests.filter((r) => r === '/debug/vars')).toHaveLength(1);
    const bundles = join(dir, 'data', 'bundles');
    const memstats = (id: string) => readFileSync(join(bundles, id, 'memstats.jsonl'), 'utf8');
    expect(memstats(idA)).toContain(JSON.parse(goA.served.vars[0]!).memstats.TotalAlloc.toString());
    expect(memstats(idB)).toContain(JSON.parse(goB.served.vars[0]!).memstats.TotalAlloc.toString());
    expect(memstats(idA)).not.toEqual(memstats(idB));
    const alertOf = (id: string) =>
      JSON.parse(readFileSync(join(bundles, id, 'alert.json'), 'utf8')) as {
        alerts: { labels: { instance: string } }[];
      };
    expect(alertOf(idA).alerts.map((x) => x.labels.instance)).toEqual([a]);
    expect(alertOf(idB).alerts.map((x) => x.labels.instance)).toEqual([b]);

    const byId = new Map(opened.map((o) => [o.incidentId, o.runbook]));
    const mdA = formatRunbookMarkdown(byId.get(idA)!);
    const mdB = formatRunbookMarkdown(byId.get(idB)!);
    expect(byId.get(idA)!.labels.instance).toBe(a);
    expect(byId.get(idB)!.labels.instance).toBe(b);
    // each runbook links the other instance's incident page
    expect(mdA).toContain('Other alerts in this group');
    expect(mdA).toContain(`[instance=${b}](<https://memtriage.example/incidents/${idB}>)`);
    expect(mdB).toContain(`[instance=${a}](<https://memtriage.example/incidents/${idA}>)`);
    expect(mdA).not.toContain(`instance=${a}](`);

    // a re-send with the same two alerts repeats both: no new bundle, no new runbook
    const again = (await (await postAlert(server.url, twoAlerts([a, b]))).json()) as {
      incidents: { outcome: string }[];
    };
    expect(again.incidents.map((i) => i.outcome)).toEqual(['repeat', 'repeat']);
    expect(readdirSync(bundles).sort()).toEqual([idA, idB].sort());
  }, 60_000);
});

describe('a go URL built from alert labels, over real HTTP', () => {
  it('reads each allowed instance, refuses a hostile one, and every rendering of its runbook says what could not be got and why', async () => {
    await goB.close();
    goB = await startReplayServer(loadCaptured('examples/incidents/pub-gc-thrash'), {
      host: '127.0.0.2',
      notFound: ['/debug/pprof/heap'],
    });
    const a = hostPort(goA.url);
    const b = hostPort(goB.url);
    writeFileSync(
      join(dir, 'memtriage.yaml'),
      [
        'server: { dataDir: ./data }',
        'channels: { archive: { type: file, path: ./runbooks.jsonl } }',
        'defaultRoute: { channels: [archive] }',
        'targets:',
        '  - name: checkout',
        '    match: { service: checkout }',
        "    go: 'http://{{ labels.instance }}'",
        "    allow: ['127.0.0.1/32', '127.0.0.2/32']",
        '    duration: 0s',
      ].join('\n'),
    );
    server = await startServer({ config: join(dir, 'memtriage.yaml'), port: 0, logger: false });
    const hostile = '169.254.169.254:80';
    const res = await postAlert(server.url, twoAlerts([a, b, hostile]));
    const ids = ((await res.json()) as { incidents: { id: string }[] }).incidents.map((i) => i.id);
    expect(ids).toHaveLength(3);
    const file = join(dir, 'runbooks.jsonl');
    const opened = await until('three runbooks', () => {
      const o = openRunbooks(file);
      return o.length === 3 ? new Map(o.map((x) => [x.incidentId, x.runbook])) : undefined;
    });
    expect(goA.requests).toContain('/debug/vars');
    expect(goB.requests).toContain('/debug/vars');
    expect(goB.requests).toContain('/debug/pprof/heap');

    // B: the 404 on /debug/pprof/heap is on the runbook, in every channel's rendering
    const rbB = opened.get(ids[1]!)!;
    for (const channel of ['text', 'markdown', 'html'] as const) {
      expect(formatRunbook(rbB, channel), channel).toMatch(/What memtriage could not get/i);
      expect(formatRunbook(rbB, channel), channel).toMatch(/GET \/debug\/pprof\/heap: HTTP 404/);
    }
    expect(JSON.stringify(formatRunbook(rbB, 'slack'))).toMatch(/GET \/debug\/pprof\/heap: HTTP 404/);
    const mail = formatRunbook(rbB, 'email');
    expect(mail.text).toMatch(/GET \/debug\/pprof\/heap: HTTP 404/);
    expect(mail.html).toMatch(/GET \/debug\/pprof\/heap: HTTP 404/);

    // the hostile instance: refused before any request, said on its runbook
    const md = formatRunbook(opened.get(ids[2]!)!, 'markdown');
    expect(md).toMatch(/go URL not used: refused: 169\.254\.169\.254 is not in the target's allow list/);
    expect(formatRunbook(opened.get(ids[0]!)!, 'markdown')).not.toContain('169.254.169.254 is not');
  }, 60_000);

  it('an alert no target matches says so once, with the labels the targets look at, escaped', async () => {
    writeFileSync(
      join(dir, 'memtriage.yaml'),
      [
        'server: { dataDir: ./data }',
        'channels: { archive: { type: file, path: ./runbooks.jsonl } }',
        'defaultRoute: { channels: [archive] }',
        'targets:',
        `  - { name: orders, match: { service: orders }, go: '${goA.url}', duration: 0s }`,
      ].join('\n'),
    );
    server = await startServer({ config: join(dir, 'memtriage.yaml'), port: 0, logger: false });
    const body = twoAlerts(['10.0.0.1:6060']);
    body.commonLabels.service = 'checkout';
    const evil = twoAlerts(['10.0.0.2:6060']);
    evil.groupKey = '{}:{alertname="Evil"}';
    evil.alerts[0]!.labels.service = '<b>*pwn*</b>`';
    evil.commonLabels.service = '<b>*pwn*</b>`';
    await postAlert(server.url, body);
    await postAlert(server.url, evil);
    const file = join(dir, 'runbooks.jsonl');
    const opened = await until('two runbooks', () => {
      const o = openRunbooks(file);
      return o.length === 2 ? o : undefined;
    });
    const plain = opened.find((o) => o.runbook.labels.service === 'checkout')!.runbook;
    const md = formatRunbook(plain, 'markdown');
    expect(md).toContain('no target matches service=checkout: memtriage fetched nothing for this alert');
    // one line instead of every missing file, and no second list repeating the first
    expect(md).not.toMatch(
      /gctrace\.log|Missing sources|could not be decided|shorter than 20 s|neither cgroup/,
    );
    expect(goA.requests).toEqual([]);

    const hostile = opened.find((o) => o.runbook.labels.service !== 'checkout')!.runbook;
    const html = formatRunbook(hostile, 'html');
    expect(html).toContain('no target matches service=&quot;&lt;b&gt;*pwn*&lt;/b&gt;`&quot;');
    expect(html).not.toContain('<b>*pwn');
    expect(formatRunbook(hostile, 'markdown')).toContain(
      'no target matches service="\\<b>\\*pwn\\*\\</b>\\`"',
    );
  }, 60_000);
});
