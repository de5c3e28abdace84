/**
 * The process bench/pprof.ts times against `go tool pprof -top`: read a heap profile, parse and
 * classify it, print the top sites by in-use bytes and the kind shares.
 * Usage: parse-cli parse+classify <file>   (run with tsx, or bundled to plain JS by the bench)
 */
import { readFileSync } from 'node:fs';
import { inuseShareByKind } from '../../engine/parse/pprof/classify-alloc.js';
import { parseHeapProfile } from '../../engine/parse/pprof/parse-heap-profile.js';

const [mode, file] = process.argv.slice(2);
if (mode !== 'parse+classify' || !file) {
  process.stderr.write('usage: parse-cli parse+classify <heap.pb.gz>\n');
  process.exit(2);
}
const { value: p, warnings } = parseHeapProfile(readFileSync(file));
const mib = (b: number): string => (b / 2 ** 20).toFixed(2);
const lines = [
  `inuse ${mib(p.totals.inuseBytes)} MiB in ${p.sites.length} sites; warnings: ${warnings.length}`,
];
for (const s of p.sites.slice(0, 10)) {
  const share = p.totals.inuseBytes > 0 ? (100 * s.inuseBytes) / p.totals.inuseBytes : 0;
  lines.push(
    `${mib(s.inuseBytes).padStart(10)} MiB ${share.toFixed(1).padStart(5)}% ${s.kind ?? ''} ${s.function}`,
  );
}
const shares = inuseShareByKind(p);
if (shares) {
  lines.push(
    Object.entries(shares)
      .map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`)
      .join('  '),
  );
}
process.stdout.write(lines.join('\n') + '\n');
