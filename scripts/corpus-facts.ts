/**
 * Prints chosen facts for every case of a corpus, one row per case (and, with --variants, per
 * degraded variant): the table thresholds are read from. Run it on the TUNING half only; the
 * evaluation half is for `memtriage eval`.
 *
 *   npx tsx scripts/corpus-facts.ts corpus/tuning signal.liveHeapSlopeBytesPerSecond signal.liveHeapTrendR2 …
 *   npx tsx scripts/corpus-facts.ts corpus/tuning --prefix signal.
 */
import { readBundle } from '../engine/bundle/read-bundle.js';
import { loadCorpus } from '../engine/eval/corpus.js';
import { degradedVariants } from '../engine/eval/degrade.js';
import { buildFacts } from '../engine/facts/build-facts.js';

const [dir, ...args] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: corpus-facts.ts CORPUS_DIR [--variants] [--prefix P] FACT…');
const variants = args.includes('--variants');
const prefixAt = args.indexOf('--prefix');
const prefix = prefixAt >= 0 ? args[prefixAt + 1] : undefined;
const ids = args.filter((a, i) => !a.startsWith('--') && (prefixAt < 0 || i !== prefixAt + 1));

const fmt = (v: unknown) =>
  typeof v === 'number'
    ? Math.abs(v) >= 1e5
      ? v.toExponential(2)
      : String(Math.round(v * 1000) / 1000)
    : String(v ?? '—');
for (const c of await loadCorpus(dir)) {
  const bundle = await readBundle(c.bundle);
  for (const v of variants ? degradedVariants(bundle) : degradedVariants(bundle).slice(0, 1)) {
    const facts = buildFacts(v.bundle).values;
    const chosen = prefix ? Object.keys(facts).filter((k) => k.startsWith(prefix)) : ids;
    console.log(
      `${c.name}${v.name === 'full' ? '' : `/${v.name}`} [${c.cause}] ` +
        chosen.map((id) => `${id.replace(/^[a-z]+\./, '')}=${fmt(facts[id])}`).join(' '),
    );
  }
}
