import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePromText } from '../../../engine/parse/prom-text/parse-prom-text.js';
import { promToJvm } from '../../../engine/parse/prom-text/prom-to-jvm.js';
import type { ParseWarning } from '../../../engine/parse/types.js';

const dir = fileURLToPath(new URL('../../fixtures/prom-text/', import.meta.url));
const load = (file: string) => parsePromText(readFileSync(dir + file, 'utf8')).value;
const MiB = 2 ** 20;

describe('promToJvm: Micrometer (Spring Boot actuator)', () => {
  const jvm = promToJvm(load('micrometer-jvm.prom'))!;

  it('heap and non-heap are the sums of their pools', () => {
    expect(jvm.scheme).toBe('micrometer');
    expect(jvm.heap).toEqual({ usedBytes: 112 * MiB, committedBytes: 180 * MiB, maxBytes: 192 * MiB });
    expect(jvm.nonHeap.usedBytes).toBe(221642752);
    expect(jvm.nonHeap.maxBytes).toBeUndefined(); // Metaspace is unlimited
  });

  it('pools keep their area; a -1 max is absent', () => {
    expect(jvm.pools['Metaspace']).toEqual({
      usedBytes: 145 * MiB,
      committedBytes: 152 * MiB,
      area: 'nonheap',
    });
    expect(jvm.pools['G1 Old Gen']).toEqual({
      usedBytes: 68 * MiB,
      committedBytes: 96 * MiB,
      maxBytes: 192 * MiB,
      area: 'heap',
    });
    expect(jvm.pools["CodeHeap 'profiled nmethods'"]?.maxBytes).toBe(122908672);
    expect(Object.keys(jvm.pools)).toHaveLength(8);
  });

  it('buffer pools, threads, classes, GC pauses (summed over cause)', () => {
    expect(jvm.bufferPools['direct']).toEqual({ usedBytes: 8396800, capacityBytes: 8396799, count: 12 });
    expect(jvm.bufferPools["mapped - 'non-volatile memory'"]).toEqual({
      usedBytes: 0,
      capacityBytes: 0,
      count: 0,
    });
    expect(jvm.threads).toEqual({ live: 22, daemon: 18, peak: 24 });
    expect(jvm.classesLoaded).toBe(12304);
    expect(jvm.gc).toEqual({ count: 97, seconds: 0.433, kind: 'pause' });
    expect(jvm.processRssBytes).toBeUndefined(); // Micrometer does not export RSS
  });

  it('the application filter selects; a wrong one finds nothing', () => {
    expect(promToJvm(load('micrometer-jvm.prom'), { application: 'pluginhost' })?.classesLoaded).toBe(12304);
    expect(promToJvm(load('micrometer-jvm.prom'), { application: 'other' })).toBeUndefined();
  });
});

describe('promToJvm: prometheus/client_java', () => {
  it('0.x simpleclient_hotspot: area totals, pools, a 512 MiB direct pool, old jvm_classes_loaded gauge, RSS', () => {
    const jvm = promToJvm(load('client-java-0.x-simpleclient.prom'))!;
    expect(jvm.scheme).toBe('client_java');
    expect(jvm.heap).toEqual({ usedBytes: 112 * MiB, committedBytes: 180 * MiB, maxBytes: 192 * MiB });
    expect(jvm.nonHeap).toEqual({ usedBytes: 221642752, committedBytes: 232849408 });
    expect(jvm.pools['Metaspace']).toEqual({ usedBytes: 145 * MiB, committedBytes: 152 * MiB });
    expect(jvm.pools['G1 Eden Space']?.area).toBeUndefined();
    expect(jvm.bufferPools['direct']).toEqual({
      usedBytes: 512 * MiB,
      capacityBytes: 512 * MiB - 1,
      count: 4096,
    });
    expect(jvm.threads).toEqual({ live: 22, daemon: 18, peak: 24 });
    expect(jvm.classesLoaded).toBe(12304);
    expect(jvm.gc).toEqual({ count: 97, seconds: 0.433, kind: 'collection' });
    expect(jvm.processRssBytes).toBe(465256448);
  });

  it('1.x OpenMetrics: jvm_memory_used_bytes without `id`, jvm_classes_currently_loaded, not the counter family', () => {
    const jvm = promToJvm(load('client-java-1.x-openmetrics.prom'))!;
    expect(jvm.scheme).toBe('client_java');
    expect(jvm.heap).toEqual({ usedBytes: 45088768, committedBytes: 75497472, maxBytes: 127401984 });
    expect(jvm.nonHeap).toEqual({ usedBytes: 26426880, committedBytes: 32178176 });
    expect(jvm.pools['PS Old Gen']).toEqual({
      usedBytes: 30408704,
      committedBytes: 49283072,
      maxBytes: 89653248,
    });
    expect(jvm.classesLoaded).toBe(3488);
    expect(jvm.threads).toEqual({ live: 28, daemon: 14, peak: 29 });
    expect(jvm.gc).toEqual({ count: 40, seconds: 0.259, kind: 'collection' });
    expect(jvm.bufferPools['direct']).toEqual({ usedBytes: 8192, capacityBytes: 8192, count: 1 });
  });

  it('an OpenMetrics counter family named jvm_classes_loaded is not read as "currently loaded"', () => {
    const text =
      '# TYPE jvm_classes_loaded counter\njvm_classes_loaded_total 50\njvm_threads_current 3\n# EOF\n';
    const jvm = promToJvm(parsePromText(text).value)!;
    expect(jvm.classesLoaded).toBeUndefined();
    expect(jvm.threads.live).toBe(3);
  });
});

describe('promToJvm: edge cases', () => {
  it('a Go scrape (which also has process_resident_memory_bytes) is not a JVM', () => {
    expect(promToJvm(load('go119-client-golang-1.11.prom'))).toBeUndefined();
  });

  it('two instances: the GC sums are not added across them; pools left absent with a warning', () => {
    const text = [
      'jvm_gc_pause_seconds_count{instance="a",cause="x"} 1',
      'jvm_gc_pause_seconds_sum{instance="a",cause="x"} 0.1',
      'jvm_gc_pause_seconds_count{instance="b",cause="x"} 5',
      'jvm_gc_pause_seconds_sum{instance="b",cause="x"} 0.5',
    ].join('\n');
    const warnings: ParseWarning[] = [];
    const jvm = promToJvm(parsePromText(text).value, undefined, warnings)!;
    expect(jvm.gc).toBeUndefined();
    expect(warnings[0]?.message).toMatch(/jvm_gc_pause_seconds_count match; they differ in instance/);
    expect(promToJvm(parsePromText(text).value, { instance: 'b' })?.gc).toEqual({
      count: 5,
      seconds: 0.5,
      kind: 'pause',
    });
  });
});
