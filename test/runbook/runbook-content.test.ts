import { describe, expect, it } from 'vitest';
import { renderRunbook } from '../../engine/runbook/index.js';
import { formatRunbook } from '../../integrations/format-runbook.js';
import { realDiagnosis } from './real-runbooks.js';

/**
 * What an on-call engineer must read in each runbook, with the incident's own numbers
 * (/work/shared/fixtures/README.md) and the technical claims that must hold for current Go,
 * JVMs in containers and Linux cgroups.
 */
const literalRe = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

async function markdown(bundle: string): Promise<string> {
  return formatRunbook(renderRunbook(await realDiagnosis(bundle)), 'markdown');
}

const CASES: Record<string, { has: (string | RegExp)[]; hasNot?: (string | RegExp)[] }> = {
  'pub-map-leak': {
    has: [
      '# dedupd: a map grows without bound',
      '`main.(*seenRequests).remember`',
      /to 88\.0 MiB/,
      'never shrinks its storage',
      // the map share counts the map's own storage, not what its entries point to
      /map's own storage \(bucket arrays and overflow buckets the map runtime allocated\) holds 58\.5%/,
      'Swiss tables',
      'Since Go 1.24 it is a hash trie',
      // time to the limit with its rate and series
      /Container \(cgroup\) usage grew 3\.2 MiB\/s over the last 43 s \(R² 0\.92\) → about 25 s to the 256 MiB limit/,
      '-diff_base heap-1.pb.gz heap-2.pb.gz',
      '-sample_index=inuse_space',
      '`sync.Map`',
      /container limit 256 MiB/,
    ],
  },
  'pub-slice-overcap': {
    has: [
      '`main.readChunk`',
      /`bytes\.Clone` \(Go 1\.20\), `strings\.Clone` \(Go 1\.18\)/,
      /`slices\.Clip` \(Go 1\.21\) only sets the capacity/,
      'below 256 elements',
      '1.25×',
      'make([]T, 0, n)',
    ],
    hasNot: ['1024 elements'],
  },
  'pub-goroutine-leak': {
    has: [
      '2,993',
      '`main.(*hub).subscribe`',
      'curl -sG -d debug=1 http://<host:port>/debug/pprof/goroutine',
      '`ctx.Done()`',
      'case <-ctx.Done():',
      'only for a main module whose `go.mod` `go` line says 1.23 or later',
    ],
  },
  'pub-gc-thrash': {
    has: [
      'GOMEMLIMIT=230MiB',
      'soft limit',
      '(Go 1.19+)',
      /goal\/live is 1\.0\d here/,
      'roughly 50%',
      // the limit counts stacks and runtime metadata; the headroom is for what the runtime cannot see
      'already counts everything the Go runtime maps (heap, goroutine stacks, runtime metadata)',
    ],
  },
  'pub-fragmentation': {
    has: [
      '`debug.FreeOSMemory()`',
      'GODEBUG=madvdontneed=0',
      'since Go 1.16',
      'HeapIdle − HeapReleased',
      /\d\.\d× the objects/,
      'never moves objects',
    ],
  },
  'pub-no-memlimit': {
    has: [
      '271 MiB',
      '256 MiB',
      'GOMEMLIMIT=230MiB',
      '`debug.SetMemoryLimit`',
      'OOM-killed',
      'a consequence of go-no-memlimit',
    ],
  },
  'pub-jvm-offheap': {
    has: [
      "awk '$1 ~ /^0x/ {n[$7]++; c[$7] += $4}", // loaders counted by type (column 7), not sorted by classes
      'forces a full stop-the-world GC',
      'Metaspace',
      '12,304',
      'jcmd <pid> VM.native_memory baseline',
      'jcmd <pid> VM.native_memory summary.diff',
      '-XX:NativeMemoryTracking=summary',
      '`-XX:MaxMetaspaceSize=<n>`',
      '`-XX:MaxDirectMemorySize=<n>`',
      '`-XX:MaxRAMPercentage`',
      '-Dio.netty.leakDetection.level=paranoid',
      '`URLClassLoader`',
    ],
  },
  'pub-reclaim-pressure': {
    // the cgroup's own limit reclaim: host kswapd did not move, so the runbook must not blame it
    has: [
      'did not scan',
      "container's own limit reclaim",
      'usage minus `inactive_file`',
      'They do not help against its own `memory.max`',
      'memory.limit_in_bytes',
      // the run sat at the limit; the reading after the process exited (93.5%) is not the incident
      'it sits at 99.8% of its 96.0 MiB limit',
      // sized from what is re-read, not usage − inactive_file
      'the re-read pages stay on the inactive list',
      /about 35\.\d MiB\/s of file pages is read back/,
      'fincore',
      '/proc/pressure/io',
      'workingset_activate_file',
    ],
    hasNot: ['kswapd is reclaiming', 'kswapd is working', '93.5%'],
  },
  'pub-oom-no-runtime': {
    has: [
      '`python3`',
      '160 MiB',
      'tracemalloc',
      '`memory.high`',
      'Memory cgroup out of memory',
      'memory.oom_control',
      // a memcg OOM (CONSTRAINT_MEMCG), growth fitted before usage clamped at the limit
      "killed by the kernel's OOM killer at its memory limit",
      /usage grew 6\.\d MiB\/s over 16 s \(R² 1\)/,
      'Exit Code: 137',
      'oom_score_adj',
    ],
    hasNot: ['32 ms', 'keeps what it allocates', 'host out of memory'],
  },
  'pub-healthy-go': {
    has: ['no memory problem found', '## Collect next', '31.0 MiB'],
    hasNot: ['## Lasting fix'],
  },
  'pub-jvm-healthy': { has: ['no memory problem found', '## Collect next'], hasNot: ['## Lasting fix'] },
};

describe.each(Object.entries(CASES))('%s runbook', (bundle, c) => {
  it('says what is specific to this incident, and only what is true', async () => {
    const md = await markdown(bundle);
    for (const s of c.has) expect(md).toMatch(typeof s === 'string' ? literalRe(s) : s);
    for (const s of c.hasNot ?? []) expect(md).not.toMatch(typeof s === 'string' ? literalRe(s) : s);
  });
});
