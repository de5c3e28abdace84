import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createGctraceParser, parseGctrace } from '../../../engine/parse/gctrace/parse-gctrace.js';

const MIB = 1048576;
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const fixtureDir = `${repo}test/fixtures/gctrace/`;
const inputs: [string, Buffer][] = [
  ...['pub-map-leak', 'pub-gc-thrash', 'pub-healthy-go'].map((b): [string, Buffer] => [
    b,
    readFileSync(`${repo}examples/incidents/${b}/gctrace.log`),
  ]),
  ...readdirSync(fixtureDir).map((f): [string, Buffer] => [f, readFileSync(fixtureDir + f)]),
];

function streamed(bytes: Buffer, chunkSize: number, options = {}) {
  const parser = createGctraceParser({ keepLast: Infinity, ...options });
  for (let i = 0; i < bytes.length; i += chunkSize) parser.push(bytes.subarray(i, i + chunkSize));
  return parser.end();
}

/** `count` synthetic cycles, gc 1… one per second, live heap = gc number MiB. */
function synthetic(count: number): string {
  let out = '';
  for (let n = 1; n <= count; n++) {
    out += `gc ${n} @${n}.000s 1%: 0.01+1.0+0.01 ms clock, 0.02+0/1.0/0+0.02 ms cpu, ${n + 1}->${n + 1}->${n} MB, ${2 * n} MB goal, 0 MB stacks, 0 MB globals, 4 P\n`;
  }
  return out;
}

describe('createGctraceParser', () => {
  it.each(inputs)('%s: any chunking gives the same result as parseGctrace', (_name, bytes) => {
    const whole = parseGctrace(bytes.toString('utf8'));
    for (const size of [1, 2, 7, 61, 4096]) expect(streamed(bytes, size)).toEqual(whole);
  });

  it('reads chunks split inside a multi-byte UTF-8 character', () => {
    const text =
      'café ☕ prêt\ngc 1 @0.5s 0%: 0.01+1.0+0.01 ms clock, 0.02+0/1.0/0+0.02 ms cpu, 4->4->1 MB, 4 MB goal, 8 P\n';
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 1; cut < 16; cut++) {
      const parser = createGctraceParser();
      parser.push(bytes.subarray(0, cut));
      parser.push(bytes.subarray(cut));
      const { value } = parser.end();
      expect(value.otherLines).toBe(1);
      expect(value.cycles.map((c) => c.line)).toEqual([2]);
    }
  });

  it('accepts strings as well as bytes, and parses a last line without a newline', () => {
    const parser = createGctraceParser();
    const [a, b] = [synthetic(2).slice(0, 50), synthetic(2).slice(50, -1)];
    parser.push(a);
    parser.push(b);
    expect(parser.end().value.cycles.map((c) => c.num)).toEqual([1, 2]);
  });

  it('keepLast keeps the last N cycle objects while counts and series cover the whole log', () => {
    const bytes = readFileSync(`${repo}examples/incidents/pub-map-leak/gctrace.log`);
    const { value } = streamed(bytes, 100, { keepLast: 3 });
    expect(value.cycles.map((c) => c.num)).toEqual([23, 24, 25]);
    expect(value.cycles[2]!.liveHeapBytes).toBe(88 * MIB);
    expect(value.cycleCount).toBe(25);
    expect(value.series!.liveHeapBytes).toHaveLength(25);
    const none = streamed(bytes, 100, { keepLast: 0 }).value;
    expect(none.cycles).toEqual([]);
    expect(none.cycleCount).toBe(25);
    const scav = Buffer.from('scav 1024 KiB work, 2048 KiB total, 88% util\n'.repeat(5));
    expect(streamed(scav, 64, { keepLast: 0 }).value).toMatchObject({ scavenges: [], scavengeCount: 5 });
    expect(streamed(scav, 64, { keepLast: 2 }).value.scavenges.map((s) => s.line)).toEqual([4, 5]);
  });

  it('keeps the last 10 000 cycle objects by default', () => {
    const parser = createGctraceParser();
    parser.push(synthetic(10_005));
    const { value } = parser.end();
    expect(value.cycleCount).toBe(10_005);
    expect(value.cycles).toHaveLength(10_000);
    expect(value.cycles[0]!.num).toBe(6);
  });

  it('thins the series evenly once it reaches seriesCap', () => {
    const { value } = parseGctrace(synthetic(100), { seriesCap: 8 });
    const s = value.series!;
    // Cap 8: thinned at cycles 8, 16, 32 and 64, so every 16th cycle is kept, and the last one.
    expect(s.stride).toBe(16);
    const kept = [1, 17, 33, 49, 65, 81, 97, 100];
    expect(Array.from(s.num)).toEqual(kept);
    expect(Array.from(s.liveHeapBytes)).toEqual(kept.map((n) => n * MIB));
    expect(Array.from(s.atSeconds)).toEqual(kept);
    expect(Array.from(s.line)).toEqual(kept);
    expect(value.cycles).toHaveLength(100);
    // Totals cover every cycle, not only the kept points.
    expect(value.totals).toEqual({ maxLiveHeapBytes: 100 * MIB, forcedCycles: 0 });
  });

  it('skips a line longer than 1 MiB with a warning and keeps counting lines', () => {
    const parser = createGctraceParser();
    const big = Buffer.alloc(3 * MIB, 'x');
    for (let i = 0; i < big.length; i += 65536) parser.push(big.subarray(i, i + 65536));
    parser.push('\n' + synthetic(1));
    const { value, warnings } = parser.end();
    expect(warnings).toEqual([{ line: 1, message: expect.stringMatching(/longer than/) }]);
    expect(value.cycles.map((c) => c.line)).toEqual([2]);
  });

  it('caps the number of warnings and ignores data pushed after end()', () => {
    const parser = createGctraceParser({ maxWarnings: 5 });
    parser.push('gc 1 @1.0s broken\n'.repeat(12));
    const { warnings } = parser.end();
    expect(warnings).toHaveLength(6);
    expect(warnings[5]!.message).toBe('7 more warnings not shown');
    parser.push(synthetic(1));
    expect(parser.end().value.cycleCount).toBe(0);
  });
});
