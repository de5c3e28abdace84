/**
 * gctrace parser benchmark: `npx tsx bench/gctrace.ts [--lines 1000000] [--gb 1] [--runs 5] [--keep]`.
 *
 * 1. Writes a realistic log into a temp dir: the real gctrace lines of every captured Go bundle
 *    (examples/incidents/pub-*) in turn, renumbered `gc 1, 2, …` with rising `@Ns`, and about 10%
 *    application lines (plain, logfmt, JSON) mixed in, as on a real stderr.
 * 2. Times `wc -l` on the file and the streaming parser fed by fs.createReadStream, several runs
 *    each (median), and prints MB/s, lines/s and the ratio parse / `wc -l` (target ≤ 10×).
 * 3. With `--gb N`: writes a file of about N GB and parses it streamed once, sampling RSS, to
 *    show that memory stays bounded (target peak RSS ≤ 150 MB).
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createGctraceParser, type GctraceParseOptions } from '../engine/parse/gctrace/parse-gctrace.js';
import { generate, type Generated } from './gctrace-gen.js';

const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    gb: { type: 'string' },
    runs: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
    /** Internal: measure one streamed parse of this file in a fresh process and print JSON. */
    'rss-child': { type: 'string' },
  },
});

const MB = 1e6;

function timeWc(path: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('wc', ['-l', path], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`wc -l failed: ${r.stderr}`);
  return ms;
}

async function timeParse(path: string, options: GctraceParseOptions) {
  const t0 = process.hrtime.bigint();
  const parser = createGctraceParser(options);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) parser.push(chunk as Buffer);
  const result = parser.end();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, result };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function check(gen: Generated, result: Awaited<ReturnType<typeof timeParse>>['result']): string {
  const v = result.value;
  const ok = v.cycleCount === gen.gcLines && v.otherLines === gen.appLines && result.warnings.length === 0;
  return ok
    ? `ok: ${fmt(gen.gcLines)} cycles, ${fmt(gen.appLines)} other lines, 0 warnings`
    : `MISMATCH: ${v.cycleCount} cycles (want ${gen.gcLines}), ${v.otherLines} other (want ${gen.appLines}), ${result.warnings.length} warnings`;
}

function vmHwmMb(): number | undefined {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? (Number(m[1]) * 1024) / MB : undefined;
}

async function throughput(dir: string, lines: number, runs: number): Promise<void> {
  const gen = generate(join(dir, 'gctrace-1m.log'), lines, Infinity);
  console.log(`file: ${fmt(gen.lines)} lines, ${fmt(gen.bytes / MB, 1)} MB (${gen.path})`);
  timeWc(gen.path); // warm the page cache
  const wc = median(Array.from({ length: runs }, () => timeWc(gen.path)));
  const options: GctraceParseOptions = { keepLast: 1000 };
  await timeParse(gen.path, options); // warm-up run (JIT)
  const times: number[] = [];
  let last;
  for (let r = 0; r < runs; r++) {
    last = await timeParse(gen.path, options);
    times.push(last.ms);
  }
  const parse = median(times);
  console.log(`wc -l:            ${fmt(wc, 1)} ms (median of ${runs})`);
  console.log(
    `streamed parse:   ${fmt(parse, 1)} ms (median of ${runs}; min ${fmt(Math.min(...times), 1)} ms; keepLast 1000)`,
  );
  console.log(
    `                  ${fmt(gen.bytes / MB / (parse / 1000))} MB/s, ${fmt(gen.lines / (parse / 1000))} lines/s`,
  );
  console.log(`ratio parse / wc: ${fmt(parse / wc, 1)}× (target ≤ 10×)`);
  console.log(`check:            ${check(gen, last!.result)}`);
  const all = await timeParse(gen.path, { keepLast: Infinity });
  console.log(`keepLast Infinity (every GcCycle object kept): ${fmt(all.ms, 1)} ms`);
}

/** Runs in a child process, so that peak RSS covers this parse only (not the generator or the 1M run). */
async function rssChild(path: string): Promise<void> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const { ms, result } = await timeParse(path, {});
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const v = result.value;
  const report = {
    ms,
    before,
    peak,
    hwm: vmHwmMb(),
    cycleCount: v.cycleCount,
    otherLines: v.otherLines,
    warnings: result.warnings.length,
    seriesPoints: v.series!.atSeconds.length,
    stride: v.series!.stride,
    cycleObjects: v.cycles.length,
  };
  console.log(JSON.stringify(report));
}

async function bigFile(dir: string, gb: number): Promise<void> {
  const gen = generate(join(dir, 'gctrace-big.log'), Infinity, gb * 1e9);
  console.log(`\nfile: ${fmt(gen.lines)} lines, ${fmt(gen.bytes / MB)} MB`);
  const wc = timeWc(gen.path);
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, script, '--rss-child', gen.path], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`measuring child failed: ${child.stderr}`);
  const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
    ms: number;
    before: number;
    peak: number;
    hwm?: number;
    cycleCount: number;
    otherLines: number;
    warnings: number;
    seriesPoints: number;
    stride: number;
    cycleObjects: number;
  };
  const ok = r.cycleCount === gen.gcLines && r.otherLines === gen.appLines && r.warnings === 0;
  console.log(`wc -l:            ${fmt(wc, 1)} ms`);
  console.log(
    `streamed parse:   ${fmt(r.ms, 1)} ms, ${fmt(gen.bytes / MB / (r.ms / 1000))} MB/s, ratio ${fmt(r.ms / wc, 1)}× (fresh process, default options)`,
  );
  console.log(
    `RSS:              ${fmt(r.before / MB)} MB at start, ${fmt(r.peak / MB)} MB peak (sampled every 20 ms)`,
  );
  console.log(`VmHWM:            ${fmt(r.hwm ?? NaN)} MB for the measuring process (target ≤ 150 MB)`);
  console.log(
    `series:           ${fmt(r.seriesPoints)} points, stride ${r.stride}; ${fmt(r.cycleObjects)} cycle objects kept`,
  );
  console.log(
    `check:            ${ok ? 'ok' : 'MISMATCH'}: ${fmt(r.cycleCount)} cycles (want ${fmt(gen.gcLines)}), ${fmt(r.otherLines)} other lines, ${r.warnings} warnings`,
  );
}

if (args['rss-child'] !== undefined) {
  await rssChild(args['rss-child']);
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'memtriage-bench-'));
try {
  console.log(`node ${process.version}, ${process.platform}`);
  await throughput(dir, Number(args.lines), Number(args.runs));
  if (args.gb !== undefined) await bigFile(dir, Number(args.gb));
} finally {
  if (args.keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
