/**
 * Runs in a child process (profile-bomb.test.ts) so its peak RSS belongs to one bundle of bombs:
 * prints `{baselineRssMiB, peakRssMiB, ms, warnings}` as JSON.
 */
import { buildFacts } from '../../../engine/facts/build-facts.js';
import { emptySampleBomb } from './profile-bomb.js';

const samples = Number(process.argv[2] ?? 125_000_000);
const copies = Number(process.argv[3] ?? 4);
const bomb = emptySampleBomb(samples);
const baselineRssMiB = process.memoryUsage().rss / 2 ** 20;
const started = performance.now();
const facts = buildFacts({
  dir: 'bomb',
  heapProfile: bomb,
  profiles: Array.from({ length: copies - 1 }, (_, i) => ({ ts: 1_700_000_000_000 + i, value: bomb })),
  cgroup: [],
  proc: [],
  nmt: [],
  unknownEntries: [],
});
const ms = performance.now() - started;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  JSON.stringify({ gzipBytes: bomb.length, baselineRssMiB, peakRssMiB, ms, warnings: facts.warnings }),
);
