import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlertAcquirer, selectTarget } from '../../engine/collect/acquire-for-alert.js';
import { guardedFetch } from '../../engine/collect/alert/guarded-fetch.js';
import { rangeQuery } from '../../engine/collect/alert/acquire-prometheus.js';
import type { TargetConfig } from '../../engine/config/types.js';
import { readBundle } from '../../engine/bundle/read-bundle.js';
import { buildFacts } from '../../engine/facts/build-facts.js';

const FIXTURE = 'examples/incidents/pub-map-leak';
const firstVars = JSON.stringify(
  (JSON.parse(readFileSync(join(FIXTURE, 'memstats.jsonl'), 'utf8').split('\n')[0]!) as { vars: unknown })
    .vars,
);

type Handler = (url: URL) => { status: number; body: Buffer | string; type?: string };
async function serve(handler: Handler) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.push(`${url.pathname}${url.search}`);
    const r = handler(url);
    res.writeHead(r.status, { 'content-type': r.type ?? 'text/plain' });
    res.end(r.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const target = (t: Partial<TargetConfig> & { name: string }): TargetConfig => ({
  match: { equal: {}, regex: {} },
  durationMs: 0,
  intervalMs: 100,
  requestTimeoutMs: 2000,
  hostFiles: false,
  ...t,
});

let dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mt-acq-'));
  dirs.push(d);
  return join(d, 'bundle');
};
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** A Go service on loopback serving the captured map-leak's expvar and heap profile. */
async function goTarget() {
  const heap = readFileSync(join(FIXTURE, 'heap.pb.gz'));
  const go = await serve((u) =>
    u.pathname === '/debug/vars'
      ? { status: 200, body: firstVars, type: 'application/json' }
      : u.pathname === '/debug/pprof/heap' && !u.search
        ? { status: 200, body: heap, type: 'application/octet-stream' }
        : { status: 404, body: 'no' },
  );
  servers.push(go);
  return go;
}

describe('acquisition at alert time', () => {
  it('labels select among configured targets only', () => {
    const ts = [
      target({ name: 'a', match: { equal: { service: 'orders' }, regex: {} }, pid: 1 }),
      target({ name: 'b', match: { equal: {}, regex: { namespace: /^(?:prod|staging)$/ } }, pid: 1 }),
    ];
    expect(selectTarget(ts, { service: 'orders' })?.name).toBe('a');
    expect(selectTarget(ts, { namespace: 'staging' })?.name).toBe('b');
    expect(selectTarget(ts, { namespace: 'production' })).toBeUndefined();
  });

  it('reads a Go target (expvar, pprof) into a bundle the parsers read', async () => {
    const go = await goTarget();
    const seen: [string, string][] = [];
    const acquire = createAlertAcquirer({
      targets: [
        target({
          name: 'dedupd',
          match: { equal: { service: 'dedupd' }, regex: {} },
          go: new URL(go.origin),
        }),
      ],
      observe: (t, o) => seen.push([t, o]),
    });
    const dir = tmp();
    const r = await acquire({ service: 'dedupd' }, dir);
    expect(r.target).toBe('dedupd');
    expect(['ok', 'partial']).toContain(r.outcome);
    expect(readFileSync(join(dir, 'memstats.jsonl'), 'utf8')).toContain('"HeapAlloc"');
    expect(existsSync(join(dir, 'heap.pb.gz'))).toBe(true);
    expect(seen[0]?.[0]).toBe('dedupd');
    expect((await acquire({ service: 'other' }, tmp())).outcome).toBe('no-target');
  });

  it('one target, several alerts: they share one acquisition (within a window) and keep their own alert.json', async () => {
    const go = await goTarget();
    let clock = 1_000_000;
    const acquire = createAlertAcquirer({
      targets: [
        target({
          name: 'dedupd',
          match: { equal: { service: 'dedupd' }, regex: {} },
          go: new URL(go.origin),
          durationMs: 400,
        }),
      ],
      now: () => clock,
    });
    const [a, b] = [tmp(), tmp()];
    mkdirSync(b, { recursive: true });
    writeFileSync(join(b, 'alert.json'), '{"alert":"b"}');
    // Two alerts of one group arrive together: one acquisition, its files in both bundles.
    const [ra, rb] = await Promise.all([
      acquire({ service: 'dedupd', instance: 'a' }, a),
      acquire({ service: 'dedupd', instance: 'b' }, b),
    ]);
    const once = go.hits.length;
    expect(ra.shared).toBeUndefined();
    expect(rb).toMatchObject({ target: 'dedupd', shared: true });
    expect(readFileSync(join(b, 'memstats.jsonl'))).toEqual(readFileSync(join(a, 'memstats.jsonl')));
    expect(readFileSync(join(b, 'heap.pb.gz'))).toEqual(readFileSync(join(a, 'heap.pb.gz')));
    expect(readFileSync(join(b, 'alert.json'), 'utf8')).toBe('{"alert":"b"}');
    // Within one window of the first: still shared; after it, a fresh acquisition.
    clock += 300;
    expect((await acquire({ service: 'dedupd' }, tmp())).shared).toBe(true);
    expect(go.hits.length).toBe(once);
    clock += 200;
    expect((await acquire({ service: 'dedupd' }, tmp())).shared).toBeUndefined();
    expect(go.hits.length).toBeGreaterThan(once);
  });

  it("a remote Go target's bundle holds no host files of memtriage's own host; hostFiles (node-agent mode) reads them", async () => {
    const go = await serve((u) =>
      u.pathname === '/debug/vars'
        ? { status: 200, body: firstVars, type: 'application/json' }
        : { status: 404, body: 'no' },
    );
    servers.push(go);
    const acquire = (hostFiles: boolean) =>
      createAlertAcquirer({
        targets: [target({ name: 'remote', go: new URL(go.origin), hostFiles })],
      });
    const remote = tmp();
    await acquire(false)({}, remote);
    expect(existsSync(join(remote, 'memstats.jsonl'))).toBe(true);
    expect(existsSync(join(remote, 'proc'))).toBe(false);
    const facts = buildFacts(await readBundle(remote));
    expect(Object.keys(facts.values).filter((f) => /^(vmstat|psi)\./.test(f))).toEqual([]);
    const local = tmp();
    await acquire(true)({}, local);
    const [snap] = readdirSync(join(local, 'proc'));
    expect(readdirSync(join(local, 'proc', snap!))).toContain('vmstat');
  });

  it('never fetches a URL from the alert: labels carrying hosts change nothing; a foreign origin is refused and logged', async () => {
    const evil = await serve(() => ({ status: 200, body: '{}' }));
    servers.push(evil);
    const refused: string[] = [];
    const f = guardedFetch(new Set(['http://127.0.0.1:1']), (o) => refused.push(o));
    await expect(f(`${evil.origin}/debug/vars`)).rejects.toThrow(/not a configured target/);
    await expect(f('not a url')).rejects.toThrow();
    expect(refused).toEqual([evil.origin, '(unparseable URL)']);
    const acquire = createAlertAcquirer({ targets: [target({ name: 't', pid: 999_999_999 })] });
    await acquire({ instance: evil.origin, generatorURL: `${evil.origin}/x`, target: evil.origin }, tmp());
    expect(evil.hits).toHaveLength(0);
  });

  it('Prometheus range queries become metrics.jsonl, one exposition text per timestamp', async () => {
    const prom = await serve((u) => {
      if (u.pathname !== '/api/v1/query_range') return { status: 404, body: '' };
      return {
        status: 200,
        type: 'application/json',
        body: JSON.stringify({
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [
              {
                metric: { __name__: 'go_memstats_heap_inuse_bytes', job: 'orders' },
                values: [
                  [1000, '100'],
                  [1015, '200'],
                ],
              },
              { metric: { __name__: 'go_goroutines', job: 'orders' }, values: [[1000, '12']] },
            ],
          },
        }),
      };
    });
    servers.push(prom);
    const acquire = createAlertAcquirer({
      targets: [
        target({
          name: 'p',
          prometheus: {
            url: new URL(prom.origin),
            selector: '{job="orders"}',
            lookbackSeconds: 600,
            stepSeconds: 15,
          },
        }),
      ],
      now: () => 2_000_000,
    });
    const dir = tmp();
    expect((await acquire({}, dir)).outcome).toBe('ok');
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ts: number; text: string });
    expect(lines.map((l) => l.ts)).toEqual([1_000_000, 1_015_000]);
    expect(lines[0]!.text).toBe(
      'go_memstats_heap_inuse_bytes{job="orders"} 100\ngo_goroutines{job="orders"} 12\n',
    );
    const q = new URL(prom.hits[0]!, 'http://x').searchParams;
    expect(q.get('query')).toBe(rangeQuery('{job="orders"}'));
    expect(q.get('query')).toContain(', job="orders"}');
    expect([q.get('start'), q.get('end'), q.get('step')]).toEqual(['1400', '2000', '15']);
  });

  it('Prometheus series feed the same parsers: a linear heap_inuse climb becomes the memstats slope fact', async () => {
    // 20 points 15 s apart, heap in use growing 1 MiB/s, objects 500/s
    const values = (start: number, perSec: number) =>
      Array.from(
        { length: 20 },
        (_, k) => [1000 + k * 15, String(start + perSec * k * 15)] as [number, string],
      );
    const prom = await serve(() => ({
      status: 200,
      type: 'application/json',
      body: JSON.stringify({
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: { __name__: 'go_memstats_heap_inuse_bytes', job: 'orders' },
              values: values(50 * 2 ** 20, 2 ** 20),
            },
            { metric: { __name__: 'go_memstats_heap_objects', job: 'orders' }, values: values(100_000, 500) },
          ],
        },
      }),
    }));
    servers.push(prom);
    const acquire = createAlertAcquirer({
      targets: [
        target({
          name: 'p',
          prometheus: {
            url: new URL(prom.origin),
            selector: '{job="orders"}',
            lookbackSeconds: 300,
            stepSeconds: 15,
          },
        }),
      ],
    });
    const dir = tmp();
    await acquire({}, dir);
    const facts = buildFacts(await readBundle(dir));
    expect(facts.values['memstats.heapInuseSlopeBytesPerSecond']).toBeCloseTo(2 ** 20, -2);
    expect(facts.values['memstats.heapObjectsSlopePerSecond']).toBeCloseTo(500, 0);
  });
});
