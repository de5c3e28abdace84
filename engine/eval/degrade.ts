import type { ParsedGctrace, RawBundle, Timed } from '../bundle/types.js';
import type { GcSeries } from '../parse/gctrace/types.js';

/**
 * A bundle with part of its evidence taken away, as happens in production: a source that was not
 * collected (no gctrace because GODEBUG was not set, no MemStats because /debug/vars is not mounted…)
 * or an alert that fired early, so only the first half of the window exists.
 */
export interface Variant {
  /** `full`, `no-<source>` or `first-half`. */
  name: string;
  bundle: RawBundle;
}

type Source = { name: string; present: (b: RawBundle) => boolean; drop: (b: RawBundle) => RawBundle };

/**
 * The sources a variant can lose, each as a collector would miss it. MemStats reach memtriage through
 * memstats.jsonl and through the `# runtime.MemStats` trailer of heap.txt, so "no MemStats" drops
 * both (the heap profile stays, as heap.pb.gz). "proc" is every /proc read: host vmstat and PSI and
 * the process's status and smaps_rollup.
 */
const SOURCES: Source[] = [
  {
    name: 'memstats',
    present: (b) => b.memstats !== undefined,
    drop: ({ memstats: _m, heapText: _h, ...b }) => b,
  },
  { name: 'gctrace', present: (b) => b.gctrace !== undefined, drop: ({ gctrace: _g, ...b }) => b },
  {
    name: 'pprof',
    present: (b) => b.profiles.length > 0 || b.heapProfile !== undefined || b.heapText !== undefined,
    drop: ({ heapProfile: _p, heapText: _h, ...b }) => ({ ...b, profiles: [] }),
  },
  {
    name: 'goroutines',
    present: (b) => b.goroutinesJsonl !== undefined,
    drop: ({ goroutinesJsonl: _g, ...b }) => b,
  },
  { name: 'metrics', present: (b) => b.metricsJsonl !== undefined, drop: ({ metricsJsonl: _m, ...b }) => b },
  { name: 'cgroup', present: (b) => b.cgroup.length > 0, drop: (b) => ({ ...b, cgroup: [] }) },
  { name: 'proc', present: (b) => b.proc.length > 0, drop: (b) => ({ ...b, proc: [] }) },
  { name: 'nmt', present: (b) => b.nmt.length > 0, drop: (b) => ({ ...b, nmt: [] }) },
  { name: 'jvm-gc', present: (b) => b.jvmGcLog !== undefined, drop: ({ jvmGcLog: _j, ...b }) => b },
  { name: 'dmesg', present: (b) => b.dmesg !== undefined, drop: ({ dmesg: _d, ...b }) => b },
];

/**
 * The full bundle, then one variant per present source with that source removed (only where some
 * other evidence remains), then the first half of the window.
 */
export function degradedVariants(bundle: RawBundle): Variant[] {
  const present = SOURCES.filter((s) => s.present(bundle));
  const variants: Variant[] = [{ name: 'full', bundle }];
  if (present.length > 1) {
    for (const s of present) variants.push({ name: `no-${s.name}`, bundle: s.drop(bundle) });
  }
  const half = firstHalf(bundle);
  if (half !== undefined) variants.push({ name: 'first-half', bundle: half });
  return variants;
}

/**
 * The bundle as it would have been at the midpoint of its window. Logs are cut at their first
 * record past the midpoint (gctrace `@<s>s` and JVM `[<s>s]` are seconds since process start, which
 * the window start approximates); gctrace, parsed as it was read, is cut at the line of its first
 * cycle past the midpoint. The kernel log has no wall-clock stamps, so it is dropped: an OOM
 * kill inside the first half still shows in the cgroup's oom_kill counter.
 */
export function firstHalf(bundle: RawBundle): RawBundle | undefined {
  const start = bundle.meta?.startUnixMs;
  const end = bundle.meta?.endUnixMs;
  if (typeof start !== 'number' || typeof end !== 'number' || end - start < 10_000) return undefined;
  const mid = start + (end - start) / 2;
  const midSeconds = (mid - start) / 1000;
  const keep = <T>(list: Timed<T>[]) => list.filter((t) => t.ts <= mid);
  const profiles = keep(bundle.profiles);
  const { heapText: _h, heapProfile: _p, dmesg: _d, ...rest } = bundle;
  const half: RawBundle = {
    ...rest,
    meta: { ...bundle.meta, endUnixMs: Math.round(mid) },
    profiles,
    cgroup: keep(bundle.cgroup),
    proc: keep(bundle.proc),
    nmt: keep(bundle.nmt),
  };
  // heap.pb.gz is the last profile taken; at the midpoint that is the last one before it.
  const lastProfile = profiles.at(-1);
  if (lastProfile !== undefined) half.heapProfile = lastProfile.value;
  const cutJsonl = (text: string | undefined) =>
    text === undefined ? undefined : cutLines(text, (l) => jsonTs(l) > mid);
  const cut = {
    metricsJsonl: cutJsonl(bundle.metricsJsonl),
    goroutinesJsonl: cutJsonl(bundle.goroutinesJsonl),
    jvmGcLog:
      bundle.jvmGcLog === undefined
        ? undefined
        : cutAtFirst(bundle.jvmGcLog, (l) => secondsAfter(l, /^\[(\d+(?:\.\d+)?)s\]/) > midSeconds),
  };
  for (const [key, value] of Object.entries(cut) as [keyof typeof cut, string | undefined][]) {
    if (value === undefined) delete half[key];
    else half[key] = value;
  }
  if (bundle.gctrace !== undefined) half.gctrace = gctraceUntil(bundle.gctrace, midSeconds);
  if (bundle.memstats !== undefined)
    half.memstats = { ...bundle.memstats, value: bundle.memstats.value.filter((m) => !((m.ts ?? 0) > mid)) };
  return half;
}

/**
 * A parsed gctrace as if its log ended before its first cycle past `seconds` (`@Ns`). Cycles, the
 * series, `GC forced` and scavenger lines and warnings are kept by line number. When the series was
 * thinned (a log longer than its cap) the cut falls on its first point past `seconds`, the cycle
 * count becomes an estimate and the totals over every cycle are dropped (facts then read the sample).
 */
export function gctraceUntil(parsed: ParsedGctrace, seconds: number): ParsedGctrace {
  const log = parsed.value;
  const s = log.series;
  if (s === undefined) return parsed;
  let k = 0;
  while (k < s.atSeconds.length && !(s.atSeconds[k]! > seconds)) k++;
  if (k === s.atSeconds.length) return parsed;
  const line = s.line[k]!;
  const before = <T extends { line?: number }>(items: readonly T[]) =>
    items.filter((i) => i.line === undefined || i.line < line);
  const series: GcSeries = {
    stride: s.stride,
    num: s.num.subarray(0, k),
    atSeconds: s.atSeconds.subarray(0, k),
    cpuPercent: s.cpuPercent.subarray(0, k),
    forced: s.forced.subarray(0, k),
    heapStartBytes: s.heapStartBytes.subarray(0, k),
    heapEndBytes: s.heapEndBytes.subarray(0, k),
    liveHeapBytes: s.liveHeapBytes.subarray(0, k),
    goalBytes: s.goalBytes.subarray(0, k),
    stacksBytes: s.stacksBytes.subarray(0, k),
    line: s.line.subarray(0, k),
  };
  const forcedLines = log.forcedGcLineNumbers ?? [];
  const scavenges = before(log.scavenges);
  const { totals: _t, ...rest } = log;
  return {
    bytes: parsed.bytes,
    warnings: before(parsed.warnings),
    value: {
      ...rest,
      cycles: before(log.cycles),
      series,
      cycleCount: s.stride === 1 ? k : k * s.stride,
      forcedGcLines: log.forcedGcLines - forcedLines.filter((l) => l >= line).length,
      forcedGcLineNumbers: forcedLines.filter((l) => l < line),
      scavenges,
      scavengeCount: (log.scavengeCount ?? log.scavenges.length) - (log.scavenges.length - scavenges.length),
    },
  };
}

function cutLines(text: string, drop: (line: string) => boolean): string {
  return text
    .split('\n')
    .filter((l) => l.trim() === '' || !drop(l))
    .join('\n');
}

function cutAtFirst(text: string, past: (line: string) => boolean): string {
  const lines = text.split('\n');
  const at = lines.findIndex(past);
  return at === -1 ? text : `${lines.slice(0, at).join('\n')}\n`;
}

function jsonTs(line: string): number {
  const m = /"ts"\s*:\s*(\d+)/.exec(line);
  return m ? Number(m[1]) : -Infinity;
}

function secondsAfter(line: string, re: RegExp): number {
  const m = re.exec(line);
  return m ? Number(m[1]) : -Infinity;
}
