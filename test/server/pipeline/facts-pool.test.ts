import { afterEach, describe, expect, it } from 'vitest';
import type { RawBundle } from '../../../engine/bundle/types.js';
import {
  createFactsPool,
  ParseBudgetError,
  type FactsPool,
} from '../../../engine/server/pipeline/facts-pool.js';

const fallback: RawBundle = {
  dir: 'alert-only',
  profiles: [],
  cgroup: [],
  proc: [],
  nmt: [],
  unknownEntries: [],
};
let pool: FactsPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('the bundle-parsing worker', () => {
  it('builds the same facts as in process, off the event loop', async () => {
    pool = createFactsPool();
    const { facts, info } = await pool.read('examples/incidents/pub-map-leak', fallback);
    expect(facts.values['runtime.kind']).toBe('go');
    expect(facts.values['signal.liveHeapSlopeBytesPerSecond']).toBeGreaterThan(256 * 1024);
    expect(info.labels['service'] ?? info.labels['job'] ?? '').toBeDefined();
  });

  it('gives up on a bundle past its time budget, and the next one gets a fresh worker', async () => {
    pool = createFactsPool(1);
    await expect(pool.read('examples/incidents/pub-map-leak', fallback)).rejects.toBeInstanceOf(
      ParseBudgetError,
    );
    await pool.close();
    pool = createFactsPool(60_000);
    const again = await pool.read('examples/incidents/pub-gc-thrash', fallback);
    expect(again.facts.values['runtime.kind']).toBe('go');
  });

  it('falls back to the alert alone when the folder is not a bundle', async () => {
    pool = createFactsPool();
    const { facts } = await pool.read('/nonexistent/bundle', fallback);
    expect(facts.values['runtime.kind']).toBe('none');
    expect(facts.values['signal.anonSlopeBytesPerSecond']).toBeUndefined();
  });
});
