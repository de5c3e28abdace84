/**
 * Heap-profile benchmark: memtriage's parse + classify of a large real Go heap profile against
 * `go tool pprof -top -sample_index=inuse_space` on the same file, whole process each.
 *
 *   npx tsx bench/pprof.ts [runs]        (default 9 runs per command; medians are reported)
 *
 * 1. Builds bench/pprof/heapgen.go with Debian's Go (/usr/lib/go-1.19/bin/go, else `go` on
 *    PATH) — GOPROXY=off, GOCACHE/GOPATH in a temp dir — and runs it to write a
 *    `MemProfileRate = 1` profile (~16k samples, ~130 KB gzip). Nothing is kept.
 * 2. Bundles bench/pprof/parse-cli.ts to plain JS with the esbuild that tsx ships, so the
 *    `node` figure has no TypeScript loader in it; the tsx figure is measured too.
 * 3. Times the commands interleaved, then the in-process stages (gunzip, our reader — what
 *    the parse reads, and everything for a like-for-like comparison — pprof-format's decode,
 *    the full parse): first call, then the median of warm calls.
 * Target: node parse+classify ≤ 0.5 × Go's tool. `--no-opt` (no TurboFan) is shown for
 * information: in a process this short, optimising compilation costs more CPU than it saves.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { SampleRecord, decodeProfile } from '../engine/parse/pprof/decode-profile.js';
import { parseHeapProfile } from '../engine/parse/pprof/parse-heap-profile.js';

const RUNS = Number(process.argv[2] ?? 9);
const ROOT = resolve(import.meta.dirname, '..');

function findGo(): string | undefined {
  if (existsSync('/usr/lib/go-1.19/bin/go')) return '/usr/lib/go-1.19/bin/go';
  const r = spawnSync('go', ['version']);
  return r.status === 0 ? 'go' : undefined;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function wallMs(cmd: string, args: string[], env?: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return ms;
}

/** Decodes the profile and reads every sample (and, with `allIds`, every location id). */
function readAll(raw: Uint8Array, allIds: boolean): number {
  const p = decodeProfile(raw);
  const rec = new SampleRecord();
  let sum = 0;
  for (let i = 0; i < p.sampleCount; i++) {
    p.readSample(i, rec);
    sum += rec.valueCount;
    if (allIds) sum += p.locationIds(i).length;
  }
  return sum;
}

function inProcess(label: string, n: number, fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  const first = performance.now() - t0;
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    fn();
    xs.push(performance.now() - s);
  }
  const m = median(xs);
  console.log(
    `  ${label.padEnd(40)} first ${first.toFixed(1).padStart(6)} ms   median ${m.toFixed(1).padStart(6)} ms`,
  );
  return m;
}

function main(): void {
  const go = findGo();
  if (!go) {
    console.log('Go toolchain not found (apt-get install golang-1.19-go): nothing to compare against.');
    process.exit(0);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'memtriage-bench-pprof-'));
  try {
    const goEnv = {
      ...process.env,
      GOPROXY: 'off',
      GOFLAGS: '',
      GO111MODULE: 'off',
      GOCACHE: join(tmp, 'gocache'),
      GOPATH: join(tmp, 'gopath'),
    };
    const profile = join(tmp, 'heap.pb.gz');
    execFileSync(go, ['build', '-o', join(tmp, 'heapgen'), join(ROOT, 'bench/pprof/heapgen.go')], {
      env: goEnv,
    });
    execFileSync(join(tmp, 'heapgen'), [profile], { env: goEnv });
    const bytes = readFileSync(profile);
    const raw = gunzipSync(bytes);
    const decoded = decodeProfile(raw);
    console.log(
      `profile: ${(statSync(profile).size / 1024).toFixed(0)} KB gzip, ${(raw.length / 1024).toFixed(0)} KB raw, ` +
        `${decoded.sampleCount} samples (${execFileSync(go, ['version']).toString().trim()})`,
    );

    const bundle = join(tmp, 'parse-cli.mjs');
    execFileSync(
      join(ROOT, 'node_modules/.bin/esbuild'),
      [
        join(ROOT, 'bench/pprof/parse-cli.ts'),
        '--bundle',
        '--platform=node',
        '--format=esm',
        `--outfile=${bundle}`,
      ],
      { stdio: 'ignore' },
    );
    const pprofTool = execFileSync(go, ['tool', '-n', 'pprof'], { env: goEnv }).toString().trim();
    const cmds: Array<[string, string, string[]]> = [
      ['go tool pprof -top', go, ['tool', 'pprof', '-top', '-sample_index=inuse_space', profile]],
      ['pprof binary -top (no go wrapper)', pprofTool, ['-top', '-sample_index=inuse_space', profile]],
      ['node parse+classify (bundled JS)', process.execPath, [bundle, 'parse+classify', profile]],
      ['node --no-opt (bundled JS)', process.execPath, ['--no-opt', bundle, 'parse+classify', profile]],
      [
        'node --import tsx parse+classify',
        process.execPath,
        ['--import', 'tsx', 'bench/pprof/parse-cli.ts', 'parse+classify', profile],
      ],
      ['node -e 0 (startup floor)', process.execPath, ['-e', '0']],
    ];
    const times = new Map<string, number[]>(cmds.map(([l]) => [l, []]));
    for (const [, cmd, args] of cmds) wallMs(cmd, args, goEnv); // warm the page cache once
    for (let r = 0; r < RUNS; r++) {
      for (const [label, cmd, args] of cmds) times.get(label)!.push(wallMs(cmd, args, goEnv));
    }
    const load = loadavg()[0]!.toFixed(1);
    console.log(
      `\nwhole process, median of ${RUNS} interleaved runs (load average ${load} on ${cpus().length} CPUs):`,
    );
    const med = new Map([...times].map(([l, xs]) => [l, median(xs)]));
    const goMs = med.get('go tool pprof -top')!;
    for (const [label, m] of med) {
      console.log(
        `  ${label.padEnd(34)} ${m.toFixed(0).padStart(5)} ms   ${(m / goMs).toFixed(2)}× go tool pprof`,
      );
    }
    const nodeRatio = med.get('node parse+classify (bundled JS)')! / goMs;
    console.log(`  target ≤ 0.50×: ${nodeRatio <= 0.5 ? 'met' : 'NOT met'} (${nodeRatio.toFixed(2)}×)`);

    console.log('\nin process (first call, then median of 20 warm calls):');
    inProcess('gunzip', 20, () => gunzipSync(bytes));
    inProcess('own reader: what the parse reads', 20, () => readAll(raw, false));
    const ours = inProcess('own reader: everything (+ all loc ids)', 20, () => readAll(raw, true));
    const theirs = inProcess('pprof-format Profile.decode', 20, () => Profile.decode(raw));
    inProcess('parseHeapProfile (gunzip→sites→kinds)', 20, () => parseHeapProfile(bytes));
    console.log(`  full decode, own reader vs pprof-format: ${(theirs / ours).toFixed(1)}× faster`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main();
