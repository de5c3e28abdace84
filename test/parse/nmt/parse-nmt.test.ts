import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseNmtSummary } from '../../../engine/parse/nmt/parse-nmt.js';
import type { NmtSummary } from '../../../engine/parse/nmt/types.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const INCIDENTS = join(ROOT, 'examples/incidents');
const fixture = (name: string) => readFileSync(join(ROOT, 'test/fixtures/nmt', name), 'utf8');
const KB = 1024;

function nmtSeries(bundle: string): { summaries: NmtSummary[]; warnings: number } {
  const dir = join(INCIDENTS, bundle, 'nmt');
  let warnings = 0;
  const summaries = readdirSync(dir)
    .sort()
    .map((f) => {
      const r = parseNmtSummary(readFileSync(join(dir, f), 'utf8'), Number(f.replace('.txt', '')));
      warnings += r.warnings.length;
      return r.value;
    });
  return { summaries, warnings };
}
const committedKB = (s: NmtSummary | undefined, cat: string) =>
  (s?.categories[cat]?.committedBytes ?? NaN) / KB;

describe('parseNmtSummary on captured JDK 17.0.15 summaries', () => {
  it('pub-jvm-offheap: Metaspace, Class, Module and the total grow; Other stays at 32 KB; 22 threads', () => {
    const { summaries, warnings } = nmtSeries('pub-jvm-offheap');
    expect(warnings).toBe(0);
    expect(summaries).toHaveLength(16);
    const first = summaries[0];
    const last = summaries.at(-1);
    expect(first?.ts).toBe(1795635605479);
    expect(committedKB(first, 'Metaspace')).toBe(12617);
    expect(committedKB(last, 'Metaspace')).toBe(155670);
    expect(committedKB(first, 'Class')).toBe(2345);
    expect(committedKB(last, 'Class')).toBe(39416);
    expect(first?.classes).toBe(3486);
    expect(last?.classes).toBe(12304);
    expect(last?.instanceClasses).toBe(11967);
    expect(last?.arrayClasses).toBe(337);
    expect(committedKB(first, 'Module')).toBe(459);
    expect(committedKB(last, 'Module')).toBe(30028);
    expect(first?.total.committedBytes).toBe(138590 * KB);
    expect(last?.total.committedBytes).toBe(430414 * KB);
    expect(summaries.every((s) => committedKB(s, 'Other') === 32)).toBe(true);
    expect(summaries.every((s) => s.threads === 22)).toBe(true);
    expect(committedKB(first, 'Java Heap')).toBe(43008);
    expect(committedKB(last, 'Java Heap')).toBe(122880);
    expect(summaries.every((s) => s.unusable === undefined)).toBe(true);
  });

  it('pub-jvm-offheap first summary: Total sub-lines, malloc/mmap/arena details, stack and metaspace blocks', () => {
    const s = nmtSeries('pub-jvm-offheap').summaries[0] as NmtSummary;
    expect(s.total).toEqual({
      reservedBytes: 1662330 * KB,
      committedBytes: 138590 * KB,
      mallocBytes: 24874 * KB,
      mallocCount: 86251,
      mmapReservedBytes: 1637456 * KB,
      mmapCommittedBytes: 113716 * KB,
    });
    expect(s.categories.Thread).toEqual({
      reservedBytes: 22587 * KB,
      committedBytes: 1159 * KB,
      mallocBytes: 35 * KB,
      mallocCount: 136,
      arenaBytes: 24 * KB,
    });
    expect(s.threadStack).toEqual({ reservedBytes: 22528 * KB, committedBytes: 1100 * KB });
    expect(s.metaspaceMetadata).toEqual({
      reservedBytes: 65536 * KB,
      committedBytes: 12544 * KB,
      usedBytes: 12246 * KB,
    });
    expect(s.metaspaceClassSpace).toEqual({
      reservedBytes: 1048576 * KB,
      committedBytes: 1792 * KB,
      usedBytes: 1550 * KB,
    });
    expect(Object.keys(s.categories)).toHaveLength(19);
    expect(s.categories['Native Memory Tracking']?.committedBytes).toBe(1369 * KB);
  });

  it('pub-jvm-healthy: total 146 894 → 138 047 KB, javac Arena Chunk freed, 28 threads, Metaspace flat', () => {
    const { summaries, warnings } = nmtSeries('pub-jvm-healthy');
    expect(warnings).toBe(0);
    const first = summaries[0];
    const last = summaries.at(-1);
    expect((first?.total.committedBytes ?? 0) / KB).toBe(146894);
    expect((last?.total.committedBytes ?? 0) / KB).toBe(138047);
    expect(committedKB(first, 'Arena Chunk')).toBe(22849);
    expect(committedKB(last, 'Arena Chunk')).toBeLessThan(1000);
    expect(committedKB(first, 'Metaspace')).toBe(11763);
    expect(committedKB(last, 'Metaspace')).toBe(12477);
    expect(first?.classes).toBe(3471);
    expect(last?.classes).toBe(3488);
    expect(summaries.every((s) => s.threads === 28)).toBe(true);
  });
});

describe('parseNmtSummary on other JDK layouts (hand-made)', () => {
  it('JDK 11: no Total sub-lines, no Metaspace category, free= lines skipped', () => {
    const { value, warnings } = parseNmtSummary(fixture('jdk11-summary.txt'));
    expect(warnings).toEqual([]);
    expect(value.total).toEqual({ reservedBytes: 1876288 * KB, committedBytes: 471352 * KB });
    expect(value.categories.Metaspace).toBeUndefined();
    expect(Object.keys(value.categories)).toHaveLength(15);
    expect(value.categories.Internal).toEqual({
      reservedBytes: 203911 * KB,
      committedBytes: 203911 * KB,
      mallocBytes: 203879 * KB,
      mallocCount: 5312,
      mmapReservedBytes: 32 * KB,
      mmapCommittedBytes: 32 * KB,
    });
    expect(value.categories['Arena Chunk']).toEqual({
      reservedBytes: 202 * KB,
      committedBytes: 202 * KB,
      mallocBytes: 202 * KB,
    });
    expect(value.classes).toBe(6512);
    expect(value.threads).toBe(32);
    expect(value.threadStack).toEqual({ reservedBytes: 32900 * KB, committedBytes: 1660 * KB });
    expect(value.metaspaceMetadata).toEqual({
      reservedBytes: 32768 * KB,
      committedBytes: 31744 * KB,
      usedBytes: 30891 * KB,
    });
    expect(value.metaspaceClassSpace?.usedBytes).toBe(4472 * KB);
  });

  it('JDK 21: peak annotations, GCCardSet, readonly= on Shared class space', () => {
    const { value, warnings } = parseNmtSummary(fixture('jdk21-summary.txt'), 99);
    expect(warnings).toEqual([]);
    expect(value.ts).toBe(99);
    expect(value.total).toEqual({
      reservedBytes: 2005761 * KB,
      committedBytes: 498205 * KB,
      mallocBytes: 171657 * KB,
      mallocCount: 533150,
      mmapReservedBytes: 1834104 * KB,
      mmapCommittedBytes: 326548 * KB,
    });
    expect(value.categories['Java Heap']).toEqual({
      reservedBytes: 262144 * KB,
      committedBytes: 82944 * KB,
      mmapReservedBytes: 262144 * KB,
      mmapCommittedBytes: 82944 * KB,
    });
    expect(value.categories['Shared class space']?.committedBytes).toBe(12040 * KB);
    expect(value.categories.GCCardSet?.mallocBytes).toBe(1431 * KB);
    expect(value.categories.Other?.mallocBytes).toBe(102461 * KB);
    expect(value.categories.Compiler?.arenaBytes).toBe(892 * KB);
    expect(value.categories.Metaspace?.committedBytes).toBe(120898 * KB);
    expect(value.classes).toBe(21948);
    expect(value.threads).toBe(86);
  });

  it('scale=MB: sizes are converted from MB', () => {
    const { value, warnings } = parseNmtSummary(fixture('jdk17-scale-mb.txt'));
    expect(warnings).toEqual([]);
    expect(value.total.committedBytes).toBe(135 * 1024 * 1024);
    expect(value.total.mallocBytes).toBe(24 * 1024 * 1024);
    expect(value.categories.Metaspace?.committedBytes).toBe(12 * 1024 * 1024);
    expect(value.threads).toBe(22);
  });

  it('JDK 22+ `(threads #N)` and a GB-scaled category are read too', () => {
    const text = [
      'Total: reserved=2GB, committed=1GB',
      '-                 Java Heap (reserved=1GB, committed=1GB)',
      '-                    Thread (reserved=1GB, committed=0GB)',
      '                            (threads #18)',
      '',
    ].join('\n');
    const { value, warnings } = parseNmtSummary(text);
    expect(warnings).toEqual([]);
    expect(value.total.reservedBytes).toBe(2 * 1024 ** 3);
    expect(value.threads).toBe(18);
  });
});

describe('parseNmtSummary on unusable and broken input', () => {
  it('"Native memory tracking is not enabled": empty result, marked unusable, one warning', () => {
    const { value, warnings } = parseNmtSummary(fixture('not-enabled.txt'), 5);
    expect(value).toEqual({
      ts: 5,
      total: { reservedBytes: 0, committedBytes: 0 },
      categories: {},
      unusable: 'not-enabled',
    });
    expect(warnings).toEqual([
      {
        line: 2,
        message: 'NMT: native memory tracking is not enabled in this JVM (-XX:NativeMemoryTracking=summary)',
      },
    ]);
  });

  it('a summary cut after its first categories keeps them and says the output was cut off', () => {
    const full = readFileSync(join(INCIDENTS, 'pub-jvm-offheap/nmt/1795635664487.txt'), 'utf8');
    const lines = full.split('\n');
    const cut = lines.slice(0, 30).join('\n') + '\n                            (malloc=44';
    const { value, warnings } = parseNmtSummary(cut);
    expect(value.unusable).toBeUndefined();
    expect(value.total.committedBytes).toBe(430414 * KB);
    expect(Object.keys(value.categories)).toEqual(['Java Heap', 'Class', 'Thread']);
    expect(value.threads).toBe(22);
    expect(value.threadStack?.committedBytes).toBe(1144 * KB);
    expect(warnings.at(-1)?.message).toMatch(
      /categories sum to \d+ KB committed but Total says 430414 KB \(output cut off\?\)/,
    );
    expect(
      warnings.some((w) => w.line === 31 && w.message.startsWith('NMT: unreadable sub-line under "Thread"')),
    ).toBe(true);
  });

  it('text cut before Total, or not NMT at all, is marked missing-total', () => {
    const head = parseNmtSummary(
      '5975:\n\nNative Memory Tracking:\n\n(Omitting categories weighting less than 1KB)\n\nTot',
    );
    expect(head.value.unusable).toBe('missing-total');
    expect(head.value.categories).toEqual({});
    expect(head.warnings.map((w) => w.line)).toEqual([7, undefined]);
    const err = parseNmtSummary(
      '5975:\ncom.sun.tools.attach.AttachNotSupportedException: Unable to open socket file\n',
    );
    expect(err.value.unusable).toBe('missing-total');
    expect(err.warnings[0]?.line).toBe(2);
    expect(parseNmtSummary('').value.unusable).toBe('missing-total');
  });

  it('summary.diff output is refused with a clear warning rather than misread', () => {
    const diff =
      'Total: reserved=1664439KB +2109KB, committed=151799KB +13209KB\n\n-                 Java Heap (reserved=196608KB, committed=43008KB)\n';
    const { value, warnings } = parseNmtSummary(diff);
    expect(value.unusable).toBe('missing-total');
    expect(warnings[0]).toEqual({
      line: 1,
      message: expect.stringContaining('summary.diff output is not supported'),
    });
  });

  it('a detail report is read up to its Details: section', () => {
    const summary = fixture('jdk21-summary.txt');
    const detail = `${summary}\nDetails:\n\n[0x00007f] os::malloc(unsigned long)+0x1\n                             (malloc=12KB type=Other #3)\n`;
    const { value, warnings } = parseNmtSummary(detail);
    expect(warnings).toEqual([]);
    expect(value.categories.Other?.mallocBytes).toBe(102461 * KB);
  });
});

describe('parseNmtSummary on a hostile category name', () => {
  it('takes no category whose name is not NMT-shaped (a control character, markup)', () => {
    const dir = join(INCIDENTS, 'pub-jvm-offheap', 'nmt');
    const text = readFileSync(join(dir, readdirSync(dir).sort()[0]!), 'utf8');
    const hostile = text.replace('Metaspace (', 'Meta\u0001space (').replace('Thread (', '<b>Thread</b> (');
    const { value } = parseNmtSummary(hostile, 1);
    expect(Object.keys(value.categories)).not.toContain('Meta\u0001space');
    expect(Object.keys(value.categories)).not.toContain('<b>Thread</b>');
    expect(value.categories['Java Heap']?.committedBytes).toBeGreaterThan(0);
  });
});
