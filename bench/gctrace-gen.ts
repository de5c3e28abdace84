/**
 * The synthetic gctrace log the benchmarks parse (bench/gctrace.ts, bench/facts-memory.ts): the real
 * gctrace lines of every captured Go bundle (examples/incidents/pub-*) in turn, renumbered
 * `gc 1, 2, …` with rising `@Ns`, and about 10% application lines (plain, logfmt, JSON) mixed in.
 */
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../', import.meta.url));

/** The gctrace lines of every captured Go bundle, split at the `@Ns ` they share. */
function templates(): string[] {
  const dir = join(repo, 'examples/incidents');
  const out: string[] = [];
  for (const bundle of readdirSync(dir).sort()) {
    const file = join(dir, bundle, 'gctrace.log');
    try {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const m = /^gc \d+ @[\d.]+s (.*)$/.exec(line);
        if (m) out.push(m[1]!);
      }
    } catch {
      // bundles without gctrace (JVM, python) are skipped
    }
  }
  if (out.length === 0) throw new Error('no gctrace.log found under examples/incidents');
  return out;
}

const APP_LINES = [
  (i: number) => `2026/11/25 10:00:00 INFO request handled path=/v1/quote status=200 dur=1.2ms id=${i}`,
  (i: number) =>
    `time=2026-11-25T10:00:00.123Z level=warn msg="slow upstream" upstream=pricing latency_ms=${i % 997}`,
  (i: number) =>
    `{"level":"info","ts":1795636526.${i % 1000},"caller":"api/handler.go:88","msg":"cache miss","key":"sku-${i}"}`,
];

export interface Generated {
  path: string;
  bytes: number;
  lines: number;
  gcLines: number;
  appLines: number;
}

/** Writes until `maxLines` lines or `maxBytes` bytes, in 4 MiB blocks (so generation itself uses little memory). */
export function generate(path: string, maxLines: number, maxBytes: number): Generated {
  const tpl = templates();
  const fd = openSync(path, 'w');
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  let block = '';
  let bytes = 0;
  let lines = 0;
  let gc = 0;
  let app = 0;
  let at = 0;
  while (lines < maxLines && bytes < maxBytes) {
    let line: string;
    if (rand() < 0.1) line = APP_LINES[app++ % APP_LINES.length]!(lines);
    else {
      at += 0.05 + rand() * 0.5;
      line = `gc ${++gc} @${at.toFixed(3)}s ${tpl[gc % tpl.length]}`;
    }
    block += line + '\n';
    lines++;
    if (block.length >= 4 << 20) {
      bytes += writeSync(fd, block);
      block = '';
    }
  }
  bytes += writeSync(fd, block);
  closeSync(fd);
  return { path, bytes, lines, gcLines: gc, appLines: lines - gc };
}
