/**
 * Start-up benchmark (issue 11): the whole CLI process as users run it, against a bare `node -e 0`
 * measured in the same run.
 *
 *   npx tsx bench/startup.ts [runs]      (default 9 runs per command; medians are reported)
 *
 * Commands, run interleaved after one warm-up each (page cache; Node's compile cache where it exists):
 *   node -e 0                                                    the floor
 *   node bin/memtriage.js --help
 *   node bin/memtriage.js diagnose examples/incidents/pub-map-leak
 * Wall time is measured around the spawn; peak RSS is the child's maxrss from GNU time
 * (`/usr/bin/time -f %M`), when installed. Targets (issue 11): --help ≤ 3×, diagnose ≤ 5× bare node.
 *
 * Beside each figure, in a fresh `node` (no TypeScript loader) on the built dist/: how long the
 * import of the CLI entry takes and the first in-process call of the same command, so the gap to
 * the whole process is Node's own start-up. Run `npm run build` first for these (bin/ needs it too).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const RUNS = Number(process.argv[2] ?? 9);
const ROOT = resolve(import.meta.dirname, '..');
const BUNDLE = 'examples/incidents/pub-map-leak';
const GNU_TIME = '/usr/bin/time';
const hasGnuTime = existsSync(GNU_TIME);
const tmp = mkdtempSync(join(tmpdir(), 'memtriage-bench-startup-'));

interface Cmd {
  label: string;
  args: string[];
  target?: number;
}

const cmds: Cmd[] = [
  { label: 'node -e 0 (bare node)', args: ['-e', '0'] },
  { label: 'memtriage --help', args: ['bin/memtriage.js', '--help'], target: 3 },
  {
    label: `memtriage diagnose ${BUNDLE.split('/').pop()}`,
    args: ['bin/memtriage.js', 'diagnose', BUNDLE],
    target: 5,
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** One whole-process run: wall ms, and peak RSS in MB when GNU time is there. */
function run(args: string[]): { ms: number; rssMb?: number } {
  const rssFile = join(tmp, 'rss');
  const [cmd, argv] = hasGnuTime
    ? [GNU_TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...args]]
    : [process.execPath, args];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 2000)}`);
  }
  if (!hasGnuTime) return { ms };
  return { ms, rssMb: Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 };
}

/**
 * In a fresh node on dist/: the import of the CLI entry, then the first call of `main(argv)` with
 * output discarded (this loads the command's modules), then the median of warm calls.
 */
function inProcess(argv: string[]): { importMs: number; firstMs: number; warmMs: number } | undefined {
  const entry = join(ROOT, 'dist/engine/cli/main.js');
  if (!existsSync(entry)) return undefined;
  const script = `
    const t0 = performance.now();
    const { main } = await import(${JSON.stringify(new URL(`file://${entry}`).href)});
    const importMs = performance.now() - t0;
    const io = { out() {}, err() {}, isTty: false };
    const argv = ${JSON.stringify(argv)};
    let t = performance.now();
    await main(argv, io);
    const firstMs = performance.now() - t;
    const warm = [];
    for (let i = 0; i < 5; i++) { t = performance.now(); await main(argv, io); warm.push(performance.now() - t); }
    warm.sort((a, b) => a - b);
    process.stdout.write(JSON.stringify({ importMs, firstMs, warmMs: warm[2] }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
  if (r.status !== 0) throw new Error(`in-process ${argv.join(' ')} failed: ${r.stderr.toString()}`);
  return JSON.parse(r.stdout.toString()) as { importMs: number; firstMs: number; warmMs: number };
}

try {
  const built = existsSync(join(ROOT, 'dist/engine/cli/main.js'));
  console.log(
    `node ${process.version} on ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}; ` +
      `dist/ ${built ? 'built' : 'MISSING (npm run build)'}; peak RSS ${hasGnuTime ? 'from GNU time' : 'n/a (no /usr/bin/time)'}`,
  );
  for (const c of cmds) run(c.args); // warm-up
  const times = new Map(cmds.map((c) => [c.label, [] as number[]]));
  const rss = new Map(cmds.map((c) => [c.label, [] as number[]]));
  for (let i = 0; i < RUNS; i++) {
    for (const c of cmds) {
      const r = run(c.args);
      times.get(c.label)!.push(r.ms);
      if (r.rssMb !== undefined) rss.get(c.label)!.push(r.rssMb);
    }
  }
  const bareMs = median(times.get(cmds[0]!.label)!);
  const bareRss = hasGnuTime ? median(rss.get(cmds[0]!.label)!) : NaN;
  console.log(`\nwhole process, median of ${RUNS} interleaved runs:`);
  console.log(
    `  ${''.padEnd(44)} ${'wall'.padStart(8)} ${'× bare'.padStart(7)}  ${'peak RSS'.padStart(9)} ${'× bare'.padStart(7)}`,
  );
  for (const c of cmds) {
    const ms = median(times.get(c.label)!);
    const mb = hasGnuTime ? median(rss.get(c.label)!) : NaN;
    const verdict =
      c.target === undefined
        ? ''
        : `   target ≤ ${c.target}× wall: ${ms / bareMs <= c.target ? 'met' : 'NOT met'}`;
    console.log(
      `  ${c.label.padEnd(44)} ${`${ms.toFixed(0)} ms`.padStart(8)} ${`${(ms / bareMs).toFixed(1)}×`.padStart(7)}  ` +
        `${hasGnuTime ? `${mb.toFixed(0)} MB`.padStart(9) : 'n/a'.padStart(9)} ${hasGnuTime ? `${(mb / bareRss).toFixed(1)}×`.padStart(7) : ''}${verdict}`,
    );
  }

  console.log(
    '\nin process, fresh node on dist/ (import of cli/main.js; first call of main(argv); median warm call):',
  );
  for (const c of cmds.slice(1)) {
    const p = inProcess(c.args.slice(1));
    if (!p) {
      console.log(`  ${c.label.padEnd(44)} n/a (dist/ not built)`);
      continue;
    }
    console.log(
      `  ${c.label.padEnd(44)} import ${p.importMs.toFixed(0).padStart(4)} ms   first ${p.firstMs.toFixed(0).padStart(4)} ms   ` +
        `warm ${p.warmMs.toFixed(0).padStart(4)} ms`,
    );
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
