import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import { AM_SAMPLE } from './server-fixture.js';
import { exited, serveProcess } from '../helpers/serve-process.js';

const dir = mkdtempSync(join(tmpdir(), 'mt-kill9-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `memtriage serve` in a child and resolves with its URL once it listens. */
async function serve(config: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  const s = await serveProcess(config, port);
  children.push(s.child);
  return s;
}

function alert(i: number) {
  const p = structuredClone(AM_SAMPLE) as typeof AM_SAMPLE;
  p.groupKey = `{}:{alertname="Rss${i}"}`;
  p.alerts[0]!.fingerprint = `f${String(i).padStart(15, '0')}`;
  (p.alerts[0]!.labels as Record<string, string>).alertname = `Rss${i}`;
  return p;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kill -9 durability', () => {
  it('every accepted incident is diagnosed and delivered after SIGKILLs at random points; duplicates only within the send/record window', async () => {
    const out = join(dir, 'runbooks.jsonl');
    const config = join(dir, 'memtriage.yaml');
    writeFileSync(
      config,
      [
        'server: { dataDir: ./data }',
        'channels: { archive: { type: file, path: ./runbooks.jsonl } }',
        'defaultRoute: { channels: [archive] }',
        'outbox: { poll: 50ms, baseDelay: 50ms, maxDelay: 200ms }',
      ].join('\n'),
    );
    const accepted = new Set<string>();
    let n = 0;
    let kills = 0;
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 3; round++) {
      const { child, url } = await serve(config, 0);
      const posting = (async () => {
        for (let k = 0; k < 15; k++) {
          const i = n++;
          try {
            const res = await fetch(`${url}/webhook/alertmanager`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(alert(i)),
            });
            if (res.status === 202) accepted.add(((await res.json()) as { incident: string }).incident);
          } catch {
            return; // the server died mid-request: not accepted, Alertmanager would retry
          }
        }
      })();
      // A random moment, but only once this round has had alerts accepted (a loaded machine can be
      // slow to answer the first ones; a fixed sleep alone could kill before any was accepted).
      const before = accepted.size;
      for (let w = 0; w < 600 && accepted.size < before + 2; w++) await sleep(50);
      await sleep(rand() * 400);
      child.kill('SIGKILL');
      kills++;
      await posting;
      await exited(child);
    }
    // a last run that is left alone to finish everything
    const { child } = await serve(config, 0);
    const deliveredIds = () =>
      existsSync(out)
        ? readFileSync(out, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { incidentId: string; kind: string })
            .filter((l) => l.kind === 'open')
            .map((l) => l.incidentId)
        : [];
    const deadline = Date.now() + 30_000;
    while ([...accepted].some((id) => !deliveredIds().includes(id)) && Date.now() < deadline)
      await sleep(100);
    child.kill('SIGKILL');
    await exited(child);

    const ids = deliveredIds();
    expect(accepted.size).toBeGreaterThan(5);
    for (const id of accepted) expect(ids).toContain(id);
    // Only sends in flight at a kill can repeat: at most outbox.concurrency (default 4) per kill.
    const duplicates = ids.length - new Set(ids).size;
    expect(duplicates).toBeLessThanOrEqual(kills * 4);
    const store = openSqliteStore(join(dir, 'data'));
    for (const id of accepted) expect((await store.getIncident(id))?.diagnosis?.incident.id).toBe(id);
    expect(await store.countByState()).toMatchObject({ pending: 0, sending: 0, dead: 0 });
    await store.close();
  }, 90_000);
});
