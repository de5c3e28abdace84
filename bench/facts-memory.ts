/**
 * Facts in bounded memory (issue 11): the whole CLI process as users run it on a bundle with a large
 * gctrace.log, against `wc -l` on the same file measured in the same run.
 *
 *   npx tsx bench/facts-memory.ts [--lines 1000000] [--gb 1] [--runs 3] [--keep]
 *
 * 1. Writes a bundle (meta.json + gctrace.log, the synthetic log of bench/gctrace-gen.ts) of
 *    `--lines` lines into a temp dir; with `--gb N` a second one of about N GB.
 * 2. For each: `wc -l` (median of runs, page cache warmed first), then the whole process
 *    `node bin/memtriage.js facts --format json DIR` under GNU time (`/usr/bin/time -f '%e %M'`):
 *    wall time and peak RSS (median of runs; one run for the GB file).
 * 3. Beside it, in a fresh `node` on the built dist/: the streamed gctrace parse alone and
 *    readBundle + buildFacts, timed in-process, with that process's VmHWM.
 * Targets: whole process ≤ 10× `wc -l`; peak RSS ≤ 150 MB at 1M lines and at 1 GB.
 * Run `npm run build` first (bin/ runs dist/). The temp dir is deleted unless --keep.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generate, type Generated } from './gctrace-gen.js';

const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    gb: { type: 'string' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});

const ROOT = resolve(import.meta.dirname, '..');
const GNU_TIME = '/usr/bin/time';
const MB = 1e6;
const START_MS = 1_795_636_000_000;

const fmt = (n: number, d = 0) =>
  Number.isFinite(n) ? n.toFixed(d).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(n);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A bundle directory holding `gen`'s log as gctrace.log, with a meta.json that spans it. */
function makeBundle(dir: string, lines: number, maxBytes: number): Generated & { bundle: string } {
  mkdirSync(dir, { recursive: true });
  const gen = generate(join(dir, 'gctrace.log'), lines, maxBytes);
  // The generator's `@Ns` rises by 0.3 s per GC on average: the window is about that long.
  const seconds = Math.ceil(gen.gcLines * 0.3);
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({
      service: 'bench',
      runtime: 'go1.22.5',
      startUnixMs: START_MS,
      endUnixMs: START_MS + seconds * 1000,
    }),
  );
  return { ...gen, bundle: dir };
}

function wallMs(cmd: string, argv: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

interface CliRun {
  ms: number;
  rssMb: number;
  facts: Record<string, unknown>;
}

/** `node bin/memtriage.js facts --format json DIR` under GNU time: wall ms, peak RSS, and the facts. */
function runCli(bundle: string, out: string): CliRun {
  const timeFile = `${out}.time`;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    'sh',
    [
      '-c',
      `${GNU_TIME} -o "$1" -f '%e %M' node bin/memtriage.js facts --format json "$2" > "$3"`,
      'sh',
      timeFile,
      bundle,
      out,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`memtriage facts failed (${r.status}): ${r.stderr}`);
  const [, maxKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ');
  const json = JSON.parse(readFileSync(out, 'utf8')) as { facts: { id: string; value: unknown }[] };
  return {
    ms,
    rssMb: (Number(maxKb) * 1024) / MB,
    facts: Object.fromEntries(json.facts.map((f) => [f.id, f.value])),
  };
}

/** In a fresh node on dist/: the streamed parse alone, then readBundle + buildFacts, and VmHWM. */
function inProcess(bundle: string): { parseMs: number; factsMs: number; hwmMb: number } {
  const script = `
    const { createReadStream, readFileSync } = await import('node:fs');
    const { createGctraceParser } = await import(${JSON.stringify(join(ROOT, 'dist/engine/parse/gctrace/parse-gctrace.js'))});
    const { readBundle } = await import(${JSON.stringify(join(ROOT, 'dist/engine/bundle/read-bundle.js'))});
    const { buildFacts } = await import(${JSON.stringify(join(ROOT, 'dist/engine/facts/build-facts.js'))});
    const dir = process.argv[1];
    let t0 = performance.now();
    const parser = createGctraceParser();
    for await (const chunk of createReadStream(dir + '/gctrace.log', { highWaterMark: 1 << 20 })) parser.push(chunk);
    parser.end();
    const parseMs = performance.now() - t0;
    t0 = performance.now();
    buildFacts(await readBundle(dir));
    const factsMs = performance.now() - t0;
    const hwm = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    console.log(JSON.stringify({ parseMs, factsMs, hwmMb: hwm ? (Number(hwm[1]) * 1024) / 1e6 : NaN }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, bundle], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`in-process measure failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    parseMs: number;
    factsMs: number;
    hwmMb: number;
  };
}

function measure(label: string, gen: Generated & { bundle: string }, runs: number): void {
  console.log(
    `\n${label}: ${fmt(gen.lines)} lines, ${fmt(gen.bytes / MB, 1)} MB, ${fmt(gen.gcLines)} GC cycles`,
  );
  wallMs('wc', ['-l', gen.path]); // warm the page cache
  const wc = median(Array.from({ length: runs }, () => wallMs('wc', ['-l', gen.path])));
  const out = join(gen.bundle, '..', `${label}.facts.json`);
  const cli = Array.from({ length: runs }, () => runCli(gen.bundle, out));
  const ms = median(cli.map((c) => c.ms));
  const rss = median(cli.map((c) => c.rssMb));
  const inp = inProcess(gen.bundle);
  const f = cli[0]!.facts;
  console.log(`  wc -l                         ${fmt(wc, 1).padStart(9)} ms`);
  console.log(
    `  memtriage facts (process)     ${fmt(ms, 1).padStart(9)} ms  = ${fmt(ms / wc, 1)}× wc -l (target ≤ 10×); peak RSS ${fmt(rss)} MB (target ≤ 150 MB)`,
  );
  console.log(
    `  in-process, streamed parse    ${fmt(inp.parseMs, 1).padStart(9)} ms  = ${fmt(inp.parseMs / wc, 1)}× wc -l`,
  );
  console.log(
    `  in-process, readBundle+facts  ${fmt(inp.factsMs, 1).padStart(9)} ms  (VmHWM of that process after parse and facts: ${fmt(inp.hwmMb)} MB)`,
  );
  const cycles = f['gctrace.cycles'];
  console.log(
    `  check: gctrace.cycles ${String(cycles)} (want ${gen.gcLines}) ${cycles === gen.gcLines ? 'ok' : 'MISMATCH'}; ` +
      `liveHeapSlope ${String(f['gctrace.liveHeapSlopeBytesPerSecond'])} B/s, gcPerSecond ${String(f['gctrace.gcPerSecond'])}`,
  );
}

if (!existsSync(join(ROOT, 'dist/engine/cli/main.js'))) throw new Error('run `npm run build` first');
if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} (GNU time) is needed for peak RSS`);
const tmp = mkdtempSync(join(tmpdir(), 'memtriage-bench-facts-'));
try {
  console.log(
    `node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const lines = Number(args.lines);
  measure(`${fmt(lines)} lines`, makeBundle(join(tmp, 'lines'), lines, Infinity), Number(args.runs));
  if (args.gb !== undefined) {
    const big = makeBundle(join(tmp, 'gb'), Infinity, Number(args.gb) * 1e9);
    measure(`${args.gb} GB`, big, 1);
    rmSync(big.bundle, { recursive: true, force: true });
  }
} finally {
  if (args.keep) console.log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
