import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJvmGcLog } from '../../../engine/parse/jvm-gc/parse-jvm-gc.js';
import type { JvmGcEvent } from '../../../engine/parse/jvm-gc/types.js';

const M = 1024 * 1024;
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bundleLog = (name: string) => readFileSync(`${repo}examples/incidents/${name}/jvm-gc.log`, 'utf8');
const fixture = (name: string) => readFileSync(`${repo}test/fixtures/jvm-gc/${name}`, 'utf8');
const count = (events: JvmGcEvent[], kind: string) => events.filter((e) => e.kind === kind).length;

describe('parseJvmGcLog on the captured OpenJDK 17 bundles', () => {
  it('pub-jvm-offheap (G1): 93 young pauses, 35 remarks, 35 cleanups, 0 full, 35 concurrent cycles', () => {
    const { value, warnings } = parseJvmGcLog(bundleLog('pub-jvm-offheap'));
    expect(warnings).toEqual([]);
    expect(value.collector).toBe('G1');
    const ev = value.events;
    expect(count(ev, 'Pause Young')).toBe(93);
    expect(count(ev, 'Pause Remark')).toBe(35);
    expect(count(ev, 'Pause Cleanup')).toBe(35);
    expect(count(ev, 'Pause Full')).toBe(0);
    // The start line of each cycle is not an event; the end line carries the cycle's duration.
    const cycles = ev.filter((e) => e.kind === 'Concurrent Mark Cycle');
    expect(cycles).toHaveLength(35);
    expect(cycles.every((e) => e.pauseMs === undefined && e.durationMs !== undefined)).toBe(true);
    expect(ev).toHaveLength(93 + 35 * 3);
    expect(ev.find((e) => e.gcId === 9)).toEqual({
      line: 11,
      uptimeSeconds: 2.196,
      gcId: 9,
      kind: 'Pause Young',
      cause: '(Normal) (G1 Evacuation Pause)',
      beforeBytes: 27 * M,
      afterBytes: 9 * M,
      committedBytes: 42 * M,
      pauseMs: 3.611,
    });
    // After-GC occupancy rose 9M -> 68M (the leaked class loaders live on the heap).
    const young = ev.filter((e) => e.kind === 'Pause Young');
    expect(young[young.length - 1]).toMatchObject({ gcId: 126, afterBytes: 68 * M, uptimeSeconds: 60.714 });
    expect(
      count(
        ev.filter((e) => e.cause?.includes('Metadata GC Threshold')),
        'Pause Young',
      ),
    ).toBe(2);
  });

  it('pub-jvm-healthy (Parallel): 37 young pauses and 3 `Pause Full (Ergonomics)` by t = 2.6 s', () => {
    const { value, warnings } = parseJvmGcLog(bundleLog('pub-jvm-healthy'));
    expect(warnings).toEqual([]);
    expect(value.collector).toBe('Parallel');
    const full = value.events.filter((e) => e.kind === 'Pause Full');
    expect(full.map((e) => [e.gcId, e.cause, e.uptimeSeconds])).toEqual([
      [7, '(Ergonomics)', 1.308],
      [9, '(Ergonomics)', 1.519],
      [11, '(Ergonomics)', 2.541],
    ]);
    const young = value.events.filter((e) => e.kind === 'Pause Young');
    expect(young).toHaveLength(37);
    // After the full GCs, every young pause ends at 29M.
    expect(young.filter((e) => e.gcId > 11).every((e) => e.afterBytes === 29 * M)).toBe(true);
    expect(young[young.length - 1]).toMatchObject({
      beforeBytes: 57 * M,
      committedBytes: 72 * M,
      pauseMs: 3.069,
    });
  });
});

describe('parseJvmGcLog on hand-made variants', () => {
  it('JDK 11 G1: `Concurrent Cycle`, `Pause Full (System.gc())` and K sizes', () => {
    const { value, warnings } = parseJvmGcLog(fixture('jdk11-g1.log'));
    expect(warnings).toEqual([]);
    expect(value.events.map((e) => e.kind)).toEqual([
      'Pause Young',
      'Pause Young',
      'Pause Remark',
      'Pause Cleanup',
      'Concurrent Cycle',
      'Pause Full',
      'Pause Young',
    ]);
    expect(value.events[5]).toMatchObject({ cause: '(System.gc())', afterBytes: 35 * M, pauseMs: 88.25 });
    expect(value.events[4]).toMatchObject({ durationMs: 41.001, gcId: 2 });
    expect(value.events[6]).toMatchObject({
      beforeBytes: 1024 * 1024,
      afterBytes: 512 * 1024,
      committedBytes: 2048 * 1024,
    });
  });

  it('JDK 21 `-Xlog:gc*` with time + uptime decorations and padded tags: only the `[gc]` summaries', () => {
    const { value, warnings } = parseJvmGcLog(fixture('jdk21-gcstar.log'));
    expect(warnings).toEqual([]);
    expect(value.collector).toBe('G1');
    expect(value.events.map((e) => [e.line, e.kind])).toEqual([
      [9, 'Pause Young'],
      [13, 'Pause Remark'],
      [14, 'Concurrent Mark Cycle'],
    ]);
    expect(value.events[0]).toMatchObject({
      uptimeSeconds: 1.504,
      timeUnixMs: Date.UTC(2026, 10, 25, 10, 0, 1, 504),
      beforeBytes: 23 * M,
      afterBytes: 5 * M,
      committedBytes: 32 * M,
      pauseMs: 3.012,
    });
  });

  it('ZGC: `Garbage Collection` with heap percentages and no pause time', () => {
    const { value, warnings } = parseJvmGcLog(fixture('zgc.log'));
    expect(warnings).toEqual([]);
    expect(value.collector).toBe('The Z Garbage Collector');
    expect(value.events).toEqual([
      {
        line: 2,
        uptimeSeconds: 1.352,
        gcId: 0,
        kind: 'Garbage Collection',
        cause: '(Warmup)',
        beforeBytes: 180 * M,
        afterBytes: 96 * M,
      },
      {
        line: 3,
        uptimeSeconds: 3.1,
        gcId: 1,
        kind: 'Garbage Collection',
        cause: '(Allocation Rate)',
        beforeBytes: 402 * M,
        afterBytes: 118 * M,
      },
    ]);
  });

  it('generational ZGC (JDK 21): durations in seconds are not pauses; G sizes', () => {
    const { value } = parseJvmGcLog(fixture('zgc-generational.log'));
    expect(value.events.map((e) => [e.kind, e.beforeBytes, e.afterBytes, e.durationMs, e.pauseMs])).toEqual([
      ['Minor Collection', 14 * M, 8 * M, 11, undefined],
      ['Major Collection', 1.5 * 1024 * M, 640 * M, 352, undefined],
    ]);
  });

  it('a log without decorations (Parallel): events have no uptime; detail lines are not events', () => {
    const { value, warnings } = parseJvmGcLog(fixture('undecorated-parallel.log'));
    expect(warnings).toEqual([]);
    expect(value.collector).toBe('Parallel');
    expect(value.events.map((e) => [e.gcId, e.kind, e.uptimeSeconds])).toEqual([
      [0, 'Pause Young', undefined],
      [1, 'Pause Full', undefined],
      [2, 'Pause Young', undefined],
    ]);
  });

  it('warns on cut or garbled events with their line numbers and keeps the good ones', () => {
    const { value, warnings } = parseJvmGcLog(fixture('broken.log'));
    expect(value.events.map((e) => e.gcId)).toEqual([0, 4]);
    expect(warnings.map((w) => w.line)).toEqual([3, 4, 5, 9]);
  });

  it('empty input and CRLF line ends', () => {
    expect(parseJvmGcLog('')).toEqual({ value: { events: [] }, warnings: [] });
    const crlf = parseJvmGcLog(
      '[0.1s][info][gc] Using Serial\r\n[0.2s][info][gc] GC(0) Pause Young (Allocation Failure) 2M->1M(9M) 3.8ms\r\n',
    );
    expect(crlf.value.collector).toBe('Serial');
    expect(crlf.value.events[0]).toMatchObject({ uptimeSeconds: 0.2, pauseMs: 3.8, committedBytes: 9 * M });
  });
});
