import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../engine/diagnose/types.js';
import { renderRunbook } from '../../engine/runbook/index.js';
import type { Runbook } from '../../engine/runbook/types.js';
import { formatRunbook } from '../../integrations/format-runbook.js';
import { cause } from '../fixtures/runbook/hand-diagnoses.js';
import { realDiagnosis } from './real-runbooks.js';

/**
 * The four growth runbooks (go-heap-growth, memory-growth, go-native-leak, jvm-heap-leak) rendered
 * on the real bundle that best shows their facts, with the template put on top whatever the rules
 * decide: the incident's numbers, the claims that must hold, and commands in time order.
 */
const literalRe = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

async function onTop(bundle: string, runbook: string): Promise<Diagnosis> {
  const d = await realDiagnosis(bundle);
  return { ...d, outcome: 'cause-found', causes: [cause(runbook, `Rule ${runbook}`, []), ...d.causes] };
}

const codeOf = (rb: Runbook) =>
  rb.blocks
    .flatMap((b) =>
      b.kind === 'code'
        ? [b.code]
        : b.kind === 'steps'
          ? b.steps.flatMap((s) => (s.code ? [s.code.code] : []))
          : [],
    )
    .join('\n');

const CASES: { runbook: string; bundle: string; has: (string | RegExp)[]; order: string[] }[] = [
  {
    runbook: 'go-heap-growth',
    bundle: 'pub-map-leak',
    has: [
      '# dedupd: the live heap keeps growing',
      /grew 1\.8 MiB\/s \(R² 0\.82\) to 88\.0 MiB/,
      'about 85 B per new object',
      'many small objects',
      '`main.(*seenRequests).remember`',
      '-diff_base heap-1.pb.gz heap-2.pb.gz',
      '-sample_index=inuse_objects',
      '`bytes.Clone` (Go 1.20+) or `strings.Clone` (Go 1.18+)',
      'append([]byte(nil), b...)',
      'golang/go#20135',
    ],
    order: ['heap-1.pb.gz http', 'debug=2', 'Buy time', 'heap-2.pb.gz http', '-lines'],
  },
  {
    runbook: 'memory-growth',
    bundle: 'pub-oom-no-runtime',
    has: [
      '# python3: memory grows toward the container limit',
      /grew by 109 MiB, 5\.3 MiB\/s/,
      'of the 160 MiB container limit',
      'OOM-killed `python3`',
      'This is a symptom',
      'py-spy dump --pid',
      '--heapsnapshot-signal=SIGUSR2',
      'PYTHONTRACEMALLOC=25',
    ],
    order: ['smaps_rollup', 'py-spy dump', 'kill -USR2', 'Buy time', 'maps-2.txt'],
  },
  {
    runbook: 'go-native-leak',
    bundle: 'pub-healthy-go',
    has: [
      '# pricingd: memory grows outside the Go heap (cgo, C libraries, mmap)',
      'the live Go heap is 31.0 MiB',
      'RSS is 79.9 MiB',
      '`Sys − HeapReleased`',
      '`GOMEMLIMIT` does not bound this memory',
      'memory allocated by C code and mapped by `syscall.Mmap`',
      'memleak-bpfcc -p <pid> -o 60000 30',
      'defer C.free(unsafe.Pointer(cs))',
      'https://pkg.go.dev/runtime/debug#SetMemoryLimit',
    ],
    order: ['maps-1.txt', 'Buy time', 'maps-2.txt', 'memleak-bpfcc', 'jeprof'],
  },
  {
    runbook: 'jvm-heap-leak',
    bundle: 'pub-jvm-offheap',
    has: [
      '# java-app: the Java heap after GC keeps growing',
      /grew 1\.0 MiB\/s/,
      'forces a full GC',
      'jcmd <pid> GC.class_histogram > histo-1.txt',
      'jcmd <pid> GC.heap_dump /var/tmp/heap-$(date +%s).hprof',
      'jcmd <pid> VM.set_flag HeapDumpOnOutOfMemoryError true',
      '-XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=',
      'Dominator Tree',
    ],
    order: ['VM.set_flag', 'histo-1.txt', 'GC.heap_dump', 'Buy time', 'histo-2.txt', 'Eclipse MAT'],
  },
];

describe.each(CASES)('$runbook on $bundle', ({ runbook, bundle, has, order }) => {
  it('states the incident numbers and the claims that must hold, with no unfilled value', async () => {
    const rb = renderRunbook(await onTop(bundle, runbook));
    expect(rb.templateId).toBe(runbook);
    const md = formatRunbook(rb, 'markdown');
    for (const s of has) expect(md).toMatch(typeof s === 'string' ? literalRe(s) : s);
    expect(JSON.stringify(rb)).not.toMatch(/undefined|NaN|Infinity|\[object /);
    expect(md).not.toMatch(/\bunknown\b/);
  });

  it('orders the steps: evidence first, then buying time, then the slow diagnosis', async () => {
    const md = formatRunbook(renderRunbook(await onTop(bundle, runbook)), 'markdown');
    const at = order.map((s) => md.indexOf(s));
    expect(
      at.every((i) => i >= 0),
      `${order.join(' < ')}: ${at.join(', ')}`,
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('quotes an untrusted target as one shell word', async () => {
    const rb = renderRunbook(await onTop(bundle, runbook), {
      target: { instance: 'h:1;rm -rf ~', pid: '42;reboot' },
    });
    const code = codeOf(rb);
    expect(code).not.toMatch(/[^']h:1;rm -rf ~/);
    // a pid that is not a number is not used at all: the reader substitutes <pid>
    expect(code).not.toContain('reboot');
    expect(code).toContain(runbook === 'go-heap-growth' ? "http://'h:1;rm -rf ~'/debug/pprof/heap" : '<pid>');
  });
});
