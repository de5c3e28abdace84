import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlertAcquirer } from '../../../engine/collect/acquire-for-alert.js';
import { parseAllowList } from '../../../engine/collect/labelled/address-allowlist.js';
import { parseLabelUrlTemplate, type LabelUrlTemplate } from '../../../engine/collect/labelled/label-url.js';
import { pinnedFetch, systemLookup, type LookupAll } from '../../../engine/collect/labelled/pinned-fetch.js';
import type { TargetConfig } from '../../../engine/config/types.js';
import { loadCaptured, startReplayServer, type ReplayServer } from '../helpers/replay-server.js';

/**
 * Label-built targets over real HTTP: the allowed instance (127.0.0.2) is read, every hostile
 * label is refused before a socket opens, and the forbidden server (127.0.0.1) never sees a request.
 */
let allowed: ReplayServer;
let forbidden: ReplayServer;
const dirs: string[] = [];
beforeEach(async () => {
  const cap = loadCaptured();
  allowed = await startReplayServer(cap, { host: '127.0.0.2' });
  forbidden = await startReplayServer(cap, { host: '127.0.0.1' });
});
afterEach(async () => {
  await allowed.close();
  await forbidden.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mt-lbl-'));
  dirs.push(d);
  return join(d, 'bundle');
};

const port = (s: ReplayServer) => Number(new URL(s.url).port);
function target(allow: string[], raw = 'http://{{ labels.instance }}'): TargetConfig {
  const parsed = parseAllowList(allow);
  expect(parsed.problems).toEqual([]);
  return {
    name: 'checkout',
    match: { equal: {}, regex: {} },
    goFromLabels: { template: parseLabelUrlTemplate(raw) as LabelUrlTemplate, allow: parsed.list },
    hostFiles: false,
    durationMs: 0,
    intervalMs: 100,
    requestTimeoutMs: 2000,
  };
}
const warningsOf = (dir: string) =>
  existsSync(join(dir, 'acquisition-warnings.json'))
    ? (
        JSON.parse(readFileSync(join(dir, 'acquisition-warnings.json'), 'utf8')) as {
          warnings: { source: string; message: string }[];
        }
      ).warnings.map((w) => w.message)
    : [];

describe('acquisition from a go URL built from alert labels', () => {
  it('reads the instance the label names when the allow list admits it', async () => {
    const acquire = createAlertAcquirer({ targets: [target(['127.0.0.2/32'])] });
    const dir = tmp();
    const r = await acquire({ instance: `127.0.0.2:${port(allowed)}` }, dir);
    expect(['ok', 'partial']).toContain(r.outcome);
    expect(allowed.requests).toContain('/debug/vars');
    expect(readFileSync(join(dir, 'memstats.jsonl'), 'utf8')).toContain('HeapAlloc');
    expect(forbidden.requests).toEqual([]);
  });

  it('a URL that gives the port takes a bare host label; a label on the scheme default port keeps it written out', async () => {
    const withPort = createAlertAcquirer({
      targets: [target(['127.0.0.2/32'], `http://{{ labels.pod_ip }}:${port(allowed)}`)],
    });
    const r = await withPort({ pod_ip: '127.0.0.2' }, tmp());
    expect(['ok', 'partial']).toContain(r.outcome);
    expect(allowed.requests).toContain('/debug/vars');
    const onDefault = createAlertAcquirer({
      targets: [{ ...target(['127.0.0.2/32']), requestTimeoutMs: 500 }],
    });
    const dir = tmp();
    await onDefault({ instance: '127.0.0.2:80' }, dir);
    expect(warningsOf(dir).join('\n')).not.toMatch(/port is required/);
    expect(warningsOf(dir).join('\n')).toMatch(/GET \/debug\/vars: /);
  });

  it('refuses hostile labels, says why in acquisition-warnings.json, and opens no socket to them', async () => {
    const lookups: string[] = [];
    const lookup: LookupAll = async (host) => {
      lookups.push(host);
      if (host === 'metadata.internal') return [{ address: '169.254.169.254', family: 4 }];
      if (host === 'loop.internal') return [{ address: '127.0.0.1', family: 4 }];
      return systemLookup(host);
    };
    const acquire = createAlertAcquirer({
      targets: [target(['127.0.0.2/32', '*.internal:*', 'localhost:*'])],
      lookup,
    });
    const f = port(forbidden);
    const cases: [string, RegExp][] = [
      ['169.254.169.254:80', /169\.254\.169\.254 is not in the target's allow list/],
      [`127.0.0.1:${f}`, /127\.0\.0\.1 is not in the target's allow list/],
      [`[::1]:${f}`, /::1 is not in the target's allow list/],
      [`localhost:${f}`, /localhost resolved to (127\.0\.0\.1|::1), outside the allow list's CIDRs/],
      [`evil@127.0.0.2:${port(allowed)}`, /refused: not a host\[:port\]/],
      [`127.0.0.2:${port(allowed)}/path`, /refused: not a host\[:port\]/],
      [`2130706433:${f}`, /canonical IPv4/],
      [`0177.0.0.1:${f}`, /canonical IPv4/],
      [`0x7f000001:${f}`, /canonical IPv4/],
      [`metadata.internal:80`, /metadata\.internal resolved to 169\.254\.169\.254/],
      [`loop.internal:${f}`, /loop\.internal resolved to 127\.0\.0\.1/],
      [`checkout.example.com:${f}`, /matches no host:port pattern/],
    ];
    for (const [instance, why] of cases) {
      const dir = tmp();
      const r = await acquire({ instance }, dir);
      expect(r.outcome, instance).toBe('failed');
      expect(warningsOf(dir).join('\n'), instance).toMatch(why);
      expect(warningsOf(dir).join('\n'), instance).toMatch(/^target checkout: go URL not used: /);
    }
    expect(forbidden.requests).toEqual([]);
    expect(allowed.requests).toEqual([]);
    // only names that passed a host pattern were looked up at all (localhost by the system resolver)
    expect(lookups.sort()).toEqual(['localhost', 'loop.internal', 'metadata.internal']);
  });

  it('an allowed instance that refuses connections or never answers is reported as such (the target-unreachable evidence)', async () => {
    const closedPort = port(allowed);
    await allowed.close();
    const acquire = createAlertAcquirer({
      targets: [{ ...target(['127.0.0.2/32']), requestTimeoutMs: 300 }],
    });
    const refusedDir = tmp();
    expect((await acquire({ instance: `127.0.0.2:${closedPort}` }, refusedDir)).outcome).toBe('failed');
    expect(warningsOf(refusedDir).join('\n')).toMatch(
      /GET \/debug\/vars: connect ECONNREFUSED 127\.0\.0\.2:\d+ \(ECONNREFUSED\)/,
    );
    allowed = await startReplayServer(loadCaptured(), { host: '127.0.0.2', hang: true });
    const hungDir = tmp();
    expect((await acquire({ instance: `127.0.0.2:${port(allowed)}` }, hungDir)).outcome).toBe('failed');
    expect(warningsOf(hungDir).join('\n')).toMatch(/GET \/debug\/vars: no answer within 300 ms/);
  });

  it('never follows a redirect to a forbidden address', async () => {
    await allowed.close();
    allowed = await startReplayServer(loadCaptured(), {
      host: '127.0.0.2',
      redirectTo: `${forbidden.url}/debug/vars`,
    });
    const acquire = createAlertAcquirer({ targets: [target(['127.0.0.2/32'])] });
    const dir = tmp();
    const r = await acquire({ instance: `127.0.0.2:${port(allowed)}` }, dir);
    expect(r.outcome).toBe('failed');
    expect(warningsOf(dir).join('\n')).toMatch(/GET \/debug\/vars: HTTP 302/);
    expect(allowed.requests.length).toBeGreaterThan(0);
    expect(forbidden.requests).toEqual([]);
  });

  it('connects to the address it checked: a name that re-resolves elsewhere (DNS rebinding) is refused per request', async () => {
    let calls = 0;
    const lookup: LookupAll = async () =>
      ++calls === 1 ? [{ address: '127.0.0.2', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    const f = pinnedFetch(parseAllowList(['127.0.0.2/32', 'svc.internal:*']).list, lookup);
    const first = await f(`http://svc.internal:${port(allowed)}/debug/vars`);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('memstats');
    await expect(f(`http://svc.internal:${port(forbidden)}/debug/vars`)).rejects.toMatchObject({
      cause: { code: 'MT_REFUSED' },
    });
    expect(forbidden.requests).toEqual([]);
  });
});
