import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../engine/bundle/read-bundle.js';
import { BundleError } from '../../engine/errors.js';
import { buildFacts } from '../../engine/facts/build-facts.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'mt-bundle-'));

describe('readBundle', () => {
  it('reads the layout of a real bundle: series sorted by timestamp', async () => {
    const b = await readBundle('examples/incidents/pub-map-leak');
    expect(b.meta?.service).toBe('dedupd');
    expect(b.profiles.length).toBe(4);
    expect(b.cgroup.length).toBeGreaterThan(50);
    expect(b.cgroup.map((c) => c.ts)).toEqual([...b.cgroup.map((c) => c.ts)].sort((x, y) => x - y));
    expect(b.cgroup[0]!.value['memory.stat']).toContain('total_rss');
    expect(b.unknownEntries).toEqual([]);
  });

  it('names the file for every unusable bundle (exit code 2 territory)', async () => {
    await expect(readBundle('/nonexistent/bundle')).rejects.toThrow(
      /\/nonexistent\/bundle: bundle directory not found/,
    );
    const file = join(fresh(), 'f');
    writeFileSync(file, 'x');
    await expect(readBundle(file)).rejects.toThrow(/not a directory/);
    await expect(readBundle(fresh())).rejects.toThrow(/no incident artifacts found/);
    for (const [name, body, message] of [
      ['meta.json', '{"service": ', /meta\.json: not valid JSON/],
      ['alert.json', '[1, 2]', /alert\.json: must be a JSON object/],
      ['facts.json', '"x"', /facts\.json: must be a JSON object/],
    ] as const) {
      const dir = fresh();
      writeFileSync(join(dir, name), body);
      const err = await readBundle(dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BundleError);
      expect((err as BundleError).code).toBe('MT_ERR_BUNDLE_INVALID');
      expect((err as Error).message).toMatch(message);
    }
  });

  it('skips half-written collector files and reports entries outside the layout', async () => {
    const dir = fresh();
    writeFileSync(
      join(dir, 'gctrace.log'),
      'gc 1 @0.010s 0%: 0.010+0.20+0.002 ms clock, 0.040+0/0.1/0+0.008 ms cpu, 4->4->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P\n',
    );
    writeFileSync(join(dir, 'memstats.jsonl.tmp'), '{"ts":');
    mkdirSync(join(dir, 'cgroup', '1700000000000.tmp'), { recursive: true });
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    const b = await readBundle(dir);
    expect(b.memstats).toBeUndefined();
    expect(b.cgroup).toEqual([]);
    expect(b.unknownEntries).toEqual(['notes.txt']);
    expect(buildFacts(b).warnings.some((w) => /notes\.txt/.test(w.message))).toBe(true);
  });

  it('replays a webhook-only incident: alert.json and the attached facts.json', async () => {
    const dir = fresh();
    writeFileSync(
      join(dir, 'alert.json'),
      JSON.stringify({ labels: { alertname: 'GoroutinesHigh', service: 'api' }, status: 'firing' }),
    );
    writeFileSync(
      join(dir, 'facts.json'),
      JSON.stringify({
        'memstats.goroutines': 5000,
        'memstats.goroutinesSlopePerSecond': 'fast',
        'no.such.fact': 1,
      }),
    );
    const facts = buildFacts(await readBundle(dir));
    expect(facts.values['memstats.goroutines']).toBe(5000);
    expect(facts.values['alert.name']).toBe('GoroutinesHigh');
    expect(facts.values['memstats.goroutinesSlopePerSecond']).toBeUndefined();
    expect(facts.warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/memstats\.goroutinesSlopePerSecond.*expected a number/),
        expect.stringMatching(/no\.such\.fact.*not in the fact catalogue/),
      ]),
    );
  });
});
