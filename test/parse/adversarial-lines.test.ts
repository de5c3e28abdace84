import { describe, expect, it } from 'vitest';
import { readMetricsJsonl } from '../../engine/facts/read-metrics.js';
import { parseCgroupFiles } from '../../engine/parse/cgroup/parse-cgroup.js';
import { parseDmesg } from '../../engine/parse/dmesg/parse-dmesg.js';
import { parseGctrace } from '../../engine/parse/gctrace/parse-gctrace.js';
import { parseJvmGcLog } from '../../engine/parse/jvm-gc/parse-jvm-gc.js';
import { MAX_LINE_CHARS } from '../../engine/parse/line-cap.js';
import { parseExpvarJsonl } from '../../engine/parse/memstats/parse-expvar.js';
import { parseGoroutineCounts } from '../../engine/parse/memstats/parse-goroutine-counts.js';
import { parseHeapDebugText } from '../../engine/parse/memstats/parse-heap-text.js';
import { parseNmtSummary } from '../../engine/parse/nmt/parse-nmt.js';
import { parseProcStatus } from '../../engine/parse/proc/parse-proc-status.js';
import { parsePsi } from '../../engine/parse/proc/parse-psi.js';
import { parseVmstat } from '../../engine/parse/proc/parse-vmstat.js';
import { parsePromText } from '../../engine/parse/prom-text/parse-prom-text.js';
import type { ParseWarning } from '../../engine/parse/types.js';

/**
 * Every parser must be linear in its input: a pattern with overlapping quantifiers turns one
 * long line into seconds of a blocked event loop (a 100 KB `go_goroutines 111…1e` took 16 s,
 * a 150 KB JVM GC line of blanks 25 s, before the patterns were fixed). Each case is timed
 * against a linear scan of the same text; the bound is loose (K×baseline plus 200 ms, K=50) so a
 * loaded 2-core machine does not flake, while a quadratic parse (seconds) is far outside it.
 *
 * Lines come in two lengths: just under the 64 KiB line cap, so they reach the patterns, and
 * 150 KB, over the cap, so they must be skipped with a warning naming the line.
 */
const K = 50;
const SLACK_MS = 200;
const UNDER = MAX_LINE_CHARS - 100;
const OVER = 150_000;

/** A linear pass over the text: a char-by-char checksum plus a split into lines. */
function linearScan(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return h + text.split('\n').length;
}

function bestOf(runs: number, f: () => unknown): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    f();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

function expectLinear(text: string, parse: (text: string) => unknown): void {
  parse('warm up\n'); // compile the parser's code paths outside the timing
  const baseline = bestOf(5, () => linearScan(text));
  const elapsed = bestOf(1, () => parse(text));
  expect(
    elapsed,
    `parse took ${elapsed.toFixed(1)} ms, baseline ${baseline.toFixed(2)} ms`,
  ).toBeLessThanOrEqual(K * baseline + SLACK_MS);
}

/** `repeat` repeated to about `length` characters, between `head` and `tail`. */
function line(head: string, repeat: string, tail: string, length: number): string {
  return (
    head + repeat.repeat(Math.max(1, Math.floor((length - head.length - tail.length) / repeat.length))) + tail
  );
}

function expectOverlongWarning(warnings: readonly ParseWarning[], lineNo: number): void {
  expect(warnings.some((w) => w.line === lineNo && /line limit; skipped/.test(w.message))).toBe(true);
}

interface Case {
  name: string;
  parse: (text: string) => { warnings: ParseWarning[] };
  /** Pathological lines: [head, repeated part, tail]. */
  shapes: [string, string, string][];
}

const CASES: Case[] = [
  {
    name: 'prom-text',
    parse: parsePromText,
    shapes: [
      ['go_goroutines ', '1', 'e', ''],
      ['go_goroutines ', '1', '.1e+', ''],
      ['go_goroutines 1 ', '1', 'x', ''],
      ['m{a="', '\\\\', '"', ''],
      ['m{', 'a="b",', '', ''],
      ['# HELP m ', '\\\\n', '', ''],
      ['', ' ', 'x', ''],
    ].map(([h, r, t]) => [h!, r!, t!]),
  },
  {
    name: 'jvm-gc log',
    parse: parseJvmGcLog,
    shapes: [
      ['GC(1) Pause', ' ', '!'],
      ['[1.0s][info][gc] GC(1) Pause Young', ' ', '!'],
      ['GC(1) A', ' A', '!'],
      ['GC(1) Pause Young', ' (a)', ' 1M->1M(1M) 1!'],
      ['GC(1) Pause Young (', '(a)', ''],
      ['GC(1) Pause Young 1', '1', '.1.ms'],
      ['GC(1) Pause Young 1M->1M(1', '1', '%'],
      ['', '[1]', ' GC(1)'],
      ['[', '1', 's'],
      ['GC(1) Pause', ':', ''],
    ],
  },
  {
    name: 'NMT summary',
    parse: (t) => parseNmtSummary(t),
    shapes: [
      ['-', ' ', 'x'],
      ['- a', ' (reserved=1KB, committed=1KB, ', 'x'],
      ['- ', 'a (', 'x'],
      ['Total: reserved=', '1', 'KB'],
      ['malloc: 1KB #1, peak=', ' ', 'x'],
      ['(malloc=', '1', 'KB #'],
      ['(', ' ', 'used=1KB'],
    ],
  },
  {
    name: 'dmesg',
    parse: parseDmesg,
    shapes: [
      ['Killed process 1 (a) ', ' ', 'x'],
      ['Killed process 1 (', ') ', ''],
      ['Killed process 1 (a) ', 'a-', ':'],
      ['Out of memory (', '(', ''],
      ['kern', ' ', ':'],
      ['[', ' ', '1.0'],
      ['a invoked oom-killer:', ' ', ''],
      ['oom-kill:', 'a=,', ''],
    ],
  },
  {
    name: 'gctrace',
    parse: (t) => parseGctrace(t),
    shapes: [
      ['', ' scvgx', ''],
      ['', ' scav 1', ''],
      ['gc 1 @1', '1', 's'],
      ['', ' gc 1 @', ''],
      ['', '{"log":"gc ', ''],
      ['2026-11-25T10:00:00Z stderr F', ':', ''],
    ],
  },
  {
    name: 'heap.txt MemStats trailer',
    parse: parseHeapDebugText,
    shapes: [
      ['heap profile: 1: 1 [1: 1] @ heap/1', ' ', 'x\n# runtime.MemStats\n# Alloc = 1'],
      ['heap profile: 1: 1 [1: 1] @ heap/1\n# runtime.MemStats\n# Alloc = ', '1', 'e'],
      ['heap profile: 1: 1 [1: 1] @ heap/1\n# runtime.MemStats\n# ', 'A', ' = 1'],
    ],
  },
  {
    name: 'PSI',
    parse: (t) => parsePsi(t),
    shapes: [
      ['some', ' ', 'x'],
      ['some avg10=', '1', '.x'],
    ],
  },
  {
    name: '/proc status',
    parse: (t) => parseProcStatus(t),
    shapes: [
      ['VmRSS:', ' ', '1x'],
      ['VmRSS: 1', ' ', 'x'],
      ['Pid: ', '1', 'x'],
    ],
  },
  {
    name: 'vmstat',
    parse: (t) => parseVmstat(t),
    shapes: [
      ['nr_anon_pages', ' ', 'x'],
      ['nr_anon_pages ', '1', ''],
      ['', 'a', ' 1x'],
    ],
  },
  {
    name: 'cgroup memory.stat and memory.max',
    parse: (t) => parseCgroupFiles({ 'memory.stat': t, 'memory.max': t, 'memory.current': t }),
    shapes: [
      ['anon', ' ', 'x'],
      ['anon ', '9', ''],
      ['', '9', ''],
    ],
  },
  {
    name: 'memstats.jsonl',
    parse: parseExpvarJsonl,
    shapes: [
      ['{"ts":1,"vars":{"memstats":{"Alloc":', '1', '}}}'],
      ['{"ts":1,"vars":', '[', ''],
    ],
  },
  {
    name: 'goroutines.jsonl',
    parse: parseGoroutineCounts,
    shapes: [['{"ts":1,"goroutines":', '1', 'e']],
  },
  {
    name: 'metrics.jsonl (a scrape inside JSON)',
    parse: readMetricsJsonl,
    shapes: [
      ['{"ts":1,"text":"go_goroutines ', '1', 'e\\n"}'],
      ['{"ts":1,"text":"m{a=\\"', '1', '\\"} 1\\n"}'],
    ],
  },
];

describe('parsers on adversarial lines run in linear time', () => {
  for (const c of CASES) {
    it(`${c.name}: lines just under the cap parse within ${K}× a linear scan + ${SLACK_MS} ms`, () => {
      for (const [head, rep, tail] of c.shapes) {
        const text = `first\n${line(head, rep, tail, UNDER)}\nlast\n`;
        expectLinear(text, c.parse);
      }
    });
    it(`${c.name}: 150 KB lines, the same bound`, () => {
      for (const [head, rep, tail] of c.shapes) {
        const text = `first\n${line(head, rep, tail, OVER)}\nlast\n`;
        expectLinear(text, c.parse);
      }
    });
  }
});

describe('the 64 KiB line cap', () => {
  const over = line('go_goroutines ', '1', '', OVER);
  it.each([
    ['prom-text', (t: string) => parsePromText(t).warnings],
    ['jvm-gc log', (t: string) => parseJvmGcLog(t).warnings],
    ['NMT summary', (t: string) => parseNmtSummary(t).warnings],
    ['dmesg', (t: string) => parseDmesg(t).warnings],
    ['PSI', (t: string) => parsePsi(t).warnings],
    ['/proc status', (t: string) => parseProcStatus(t).warnings],
    ['vmstat', (t: string) => parseVmstat(t).warnings],
  ])('%s skips an over-long line with a warning that names it', (_, warningsOf) => {
    expectOverlongWarning(warningsOf(`\n\n${over}\n`), 3);
  });

  it('heap.txt: an over-long trailer line is skipped with a warning, the rest is read', () => {
    const r = parseHeapDebugText(
      `heap profile: 1: 2 [3: 4] @ heap/1024\n# runtime.MemStats\n# Alloc = 5\n${over}\n# HeapInuse = 6\n`,
    );
    expectOverlongWarning(r.warnings, 4);
    expect(r.value.stats.Alloc).toBe(5);
    expect(r.value.stats.HeapInuse).toBe(6);
  });

  it('prom-text: the lines around an over-long one are kept', () => {
    const r = parsePromText(`a 1\n${over}\nb 2\n`);
    expect(r.value.samples.map((s) => [s.name, s.value])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expectOverlongWarning(r.warnings, 2);
  });

  it('a line at the cap is still read', () => {
    const value = '1'.repeat(MAX_LINE_CHARS - 'go_goroutines '.length);
    const r = parsePromText(`go_goroutines ${value}\n`);
    expect(r.warnings).toEqual([]);
    expect(r.value.samples[0]?.value).toBe(Number(value));
  });

  it('metrics.jsonl: the scrape line over the cap is reported against its JSONL line', () => {
    const r = readMetricsJsonl(`${JSON.stringify({ ts: 1, text: `go_goroutines 3\n${over}\n` })}\n`);
    expect(
      r.warnings.some((w) => w.line === 1 && /scrape line 2: .*line limit; skipped/.test(w.message)),
    ).toBe(true);
  });
});
