import type { FactDefinition, FactSource, FactUnit } from './types.js';

function fact(id: string, unit: FactUnit, description: string): FactDefinition {
  const source = id.slice(0, id.indexOf('.')) as FactSource;
  return { id, unit, source, description };
}

/**
 * The fact catalogue: the single list of facts memtriage computes and rules may name.
 * Ids are `<source>.<name>`; the name says the unit. "Trend" facts are least-squares fits over the
 * series in the bundle after start-up (the first 20% of the window is left out, see WARMUP_FRACTION in
 * derive-context.ts): slope per second, and R² of the fit (1 = a straight line, 0 = no trend).
 * "PerSecond" facts from kernel counters are rates over the bundle's window, robust to counter resets.
 */
export const FACT_CATALOGUE: readonly FactDefinition[] = [
  // runtime: what kind of process this is
  fact(
    'runtime.kind',
    'string',
    'Managed runtime of the process: go, jvm, or none (from meta.json and the artifacts present).',
  ),
  fact(
    'runtime.goMemoryLimitBytes',
    'bytes',
    'GOMEMLIMIT in bytes, when a source reports it (runtime/metrics or meta.json env).',
  ),
  fact(
    'runtime.goMemoryLimitToLimitRatio',
    'ratio',
    'GOMEMLIMIT / the container memory limit (cgroup, else meta.json cgroupLimitBytes): at 1 or more the runtime lets the heap reach the container limit.',
  ),
  fact(
    'runtime.goMemoryLimitSet',
    'boolean',
    'Whether GOMEMLIMIT is set below the default (math.MaxInt64), when known.',
  ),

  // Go runtime.MemStats (last sample unless stated)
  fact('memstats.samples', 'count', 'Number of MemStats samples in the bundle.'),
  fact('memstats.windowSeconds', 'seconds', 'Time between the first and last MemStats sample.'),
  fact(
    'memstats.heapAllocBytes',
    'bytes',
    'HeapAlloc: bytes of allocated heap objects (live and not yet swept), last sample.',
  ),
  fact('memstats.heapInuseBytes', 'bytes', 'HeapInuse: bytes in in-use spans, last sample.'),
  fact('memstats.heapIdleBytes', 'bytes', 'HeapIdle: bytes in idle (unused) spans, last sample.'),
  fact('memstats.heapSysBytes', 'bytes', 'HeapSys: heap memory obtained from the OS, last sample.'),
  fact(
    'memstats.heapReleasedBytes',
    'bytes',
    'HeapReleased: physical memory returned to the OS, last sample.',
  ),
  fact('memstats.heapObjects', 'count', 'HeapObjects: number of allocated heap objects, last sample.'),
  fact('memstats.sysBytes', 'bytes', 'Sys: total bytes of memory obtained from the OS, last sample.'),
  fact('memstats.stackInuseBytes', 'bytes', 'StackInuse: bytes in stack spans, last sample.'),
  fact('memstats.nextGcBytes', 'bytes', 'NextGC: heap goal of the next GC cycle, last sample.'),
  fact(
    'memstats.gcCpuFraction',
    'ratio',
    'GCCPUFraction: fraction of CPU time used by the GC since the program started, last sample.',
  ),
  fact('memstats.gcPerSecond', 'count/s', 'GC cycles per second over the window (NumGC delta).'),
  fact(
    'memstats.forcedGcPerSecond',
    'count/s',
    'Forced GC cycles per second over the window (NumForcedGC delta): runtime.GC and debug.FreeOSMemory.',
  ),
  fact('memstats.forcedGcShare', 'ratio', 'NumForcedGC delta / NumGC delta over the window.'),
  fact('memstats.goroutines', 'count', 'runtime.NumGoroutine(), last sample.'),
  fact('memstats.goroutinesMax', 'count', 'Highest goroutine count in the window.'),
  fact('memstats.goroutinesSlopePerSecond', 'count/s', 'Least-squares slope of the goroutine count.'),
  fact('memstats.goroutinesTrendR2', 'ratio', 'R² of the goroutine count trend.'),
  fact('memstats.heapInuseSlopeBytesPerSecond', 'bytes/s', 'Least-squares slope of HeapInuse.'),
  fact('memstats.heapInuseTrendR2', 'ratio', 'R² of the HeapInuse trend.'),
  fact('memstats.heapAllocSlopeBytesPerSecond', 'bytes/s', 'Least-squares slope of HeapAlloc.'),
  fact('memstats.heapAllocTrendR2', 'ratio', 'R² of the HeapAlloc trend.'),
  fact('memstats.heapObjectsSlopePerSecond', 'count/s', 'Least-squares slope of HeapObjects.'),
  fact('memstats.heapObjectsTrendR2', 'ratio', 'R² of the HeapObjects trend.'),
  fact(
    'memstats.bytesPerHeapObject',
    'bytes',
    'HeapAlloc / HeapObjects, last sample: average size of a live object.',
  ),
  fact('memstats.heapIdleToSysRatio', 'ratio', 'HeapIdle / HeapSys, last sample.'),
  fact(
    'memstats.heapReleasedToIdleRatio',
    'ratio',
    'HeapReleased / HeapIdle, last sample: how much idle heap was returned to the OS.',
  ),
  fact(
    'memstats.heapInuseToAllocRatio',
    'ratio',
    'HeapInuse / HeapAlloc, median over the second half of the window: span-level fragmentation (1 = none).',
  ),
  fact(
    'memstats.heapSpanWasteBytes',
    'bytes',
    'HeapInuse − HeapAlloc, median over the second half of the window: free slots inside in-use spans, which GOGC does not change.',
  ),
  fact(
    'memstats.heapRetainedToAllocRatio',
    'ratio',
    '(HeapInuse + HeapIdle − HeapReleased) / HeapAlloc, median over the second half of the window: memory the heap holds from the OS per byte of objects.',
  ),
  fact('memstats.stackBytesPerGoroutine', 'bytes', 'StackInuse / goroutines, last sample.'),
  fact(
    'memstats.nextGcToLimitRatio',
    'ratio',
    'NextGC / the memory limit of the container (cgroup limit, else meta.json cgroupLimitBytes), last sample.',
  ),

  // GODEBUG=gctrace=1
  fact('gctrace.cycles', 'count', 'Number of GC cycles in the trace.'),
  fact('gctrace.windowSeconds', 'seconds', 'Time between the first and last GC cycle in the trace.'),
  fact('gctrace.liveHeapBytes', 'bytes', 'Marked live heap after the last GC.'),
  fact('gctrace.liveHeapMaxBytes', 'bytes', 'Largest live heap after any GC.'),
  fact(
    'gctrace.liveHeapSlopeBytesPerSecond',
    'bytes/s',
    'Least-squares slope of the live heap after each GC.',
  ),
  fact('gctrace.liveHeapTrendR2', 'ratio', 'R² of the live-heap trend.'),
  fact('gctrace.goalBytes', 'bytes', 'Heap goal of the last GC cycle.'),
  fact(
    'gctrace.goalToLiveRatio',
    'ratio',
    'Median of goal / live heap over the last cycles (about 1 + GOGC/100 when GOGC rules; near 1 when a memory limit caps the goal).',
  ),
  fact('gctrace.gcPerSecond', 'count/s', 'GC cycles per second over the trace window.'),
  fact('gctrace.gcIntervalSeconds', 'seconds', 'Median time between consecutive GC cycles.'),
  fact('gctrace.gcCpuPercent', 'percent', 'GC CPU percent since program start, as printed on the last line.'),
  fact('gctrace.forcedCycles', 'count', 'Cycles marked (forced), plus separate `GC forced` lines.'),
  fact(
    'gctrace.forcedPerSecond',
    'count/s',
    'Cycles marked (forced) per second over the gctrace window (the first cycle not counted): collections runtime.GC or debug.FreeOSMemory asked for.',
  ),
  fact(
    'gctrace.forcedShare',
    'ratio',
    "Share of the window's cycles (the first not counted) marked (forced).",
  ),
  fact('gctrace.stacksBytes', 'bytes', 'Scannable stack bytes at the last GC (Go 1.18+).'),
  fact('gctrace.goalToLimitRatio', 'ratio', 'Heap goal of the last GC / the container memory limit.'),
  fact(
    'gctrace.secondsSinceLastGc',
    'seconds',
    'Time from the last GC cycle to the end of the bundle window.',
  ),

  // pprof heap profiles
  fact('pprof.inuseBytes', 'bytes', 'Sampled in-use bytes in the latest heap profile (as of its last GC).'),
  fact('pprof.inuseObjects', 'count', 'Sampled in-use objects in the latest heap profile.'),
  fact('pprof.bytesPerInuseObject', 'bytes', 'inuse_space / inuse_objects of the latest heap profile.'),
  fact(
    'pprof.inuseShare.map',
    'ratio',
    'Share of in-use bytes allocated by map growth (runtime.makemap / hashGrow / newobject under mapassign).',
  ),
  fact(
    'pprof.inuseShare.slice',
    'ratio',
    'Share of in-use bytes allocated as slices (make, growslice, bytes.Buffer growth).',
  ),
  fact(
    'pprof.inuseShare.string',
    'ratio',
    'Share of in-use bytes allocated by string building (concatenation, strings.Builder, conversions).',
  ),
  fact(
    'pprof.inuseShare.stack',
    'ratio',
    'Share of in-use bytes held by goroutine creation (runtime.malg / newproc) and objects of blocked goroutines.',
  ),
  fact('pprof.inuseShare.other', 'ratio', 'Share of in-use bytes not classified above.'),
  fact(
    'pprof.topSiteInuseShare',
    'ratio',
    'Share of in-use bytes held by the single largest allocation site.',
  ),
  fact('pprof.topSite', 'string', 'Function of the largest allocation site by in-use bytes.'),
  fact('pprof.profiles', 'count', 'Number of heap profiles in the bundle series.'),
  fact(
    'pprof.growthInuseBytes',
    'bytes',
    'Change in sampled in-use bytes from the first to the last profile.',
  ),
  fact(
    'pprof.topGrowthSite',
    'string',
    'Allocation site whose in-use bytes grew most between the first and last profile.',
  ),
  fact(
    'pprof.topGrowthSiteShare',
    'ratio',
    'Share of the total in-use growth taken by the top growing site.',
  ),
  fact(
    'pprof.topGrowthKind',
    'string',
    'Allocation kind (map, slice, string, stack, other) of the top growing site.',
  ),
  fact(
    'pprof.topGrowthKindSource',
    'string',
    'How pprof.topGrowthKind was decided: frames (a frame such as bytes.growSlice or runtime.mapassign named it for most of its bytes) or size (the object-size rules: over 32 KiB is a slice, else other).',
  ),

  // cgroup memory controller
  fact('cgroup.version', 'count', 'cgroup version (1 or 2).'),
  fact(
    'cgroup.limitBytes',
    'bytes',
    'Memory limit (v1 memory.limit_in_bytes, v2 memory.max); absent when unlimited.',
  ),
  fact(
    'cgroup.usageBytes',
    'bytes',
    'Usage at the last reading while the workload was running (v1 usage_in_bytes, v2 memory.current).',
  ),
  fact(
    'cgroup.peakUsageBytes',
    'bytes',
    'Highest usage seen (max_usage_in_bytes / memory.peak, or the max of the series).',
  ),
  fact('cgroup.usageRatio', 'ratio', 'usageBytes / limitBytes.'),
  fact('cgroup.peakUsageRatio', 'ratio', 'peakUsageBytes / limitBytes.'),
  fact(
    'cgroup.usageSlopeBytesPerSecond',
    'bytes/s',
    'Least-squares slope of usage while the workload was running, after start-up and before usage reached 97% of the limit (where reclaim or the OOM killer holds it flat).',
  ),
  fact('cgroup.usageTrendR2', 'ratio', 'R² of the usage trend (the same fit).'),
  fact(
    'cgroup.usageGrowthWindowSeconds',
    'seconds',
    'Time covered by the readings the usage slope was fitted on.',
  ),
  fact(
    'cgroup.secondsToLimit',
    'seconds',
    'Projected time until usage reaches the limit at cgroup.usageSlopeBytesPerSecond (absent when not growing, unlimited, or already at 97%+ of the limit).',
  ),
  fact(
    'cgroup.secondsToLimitLow',
    'seconds',
    'When growth is not a straight line (R² < 0.9): the shortest projection, at the rate of the steepest fifth of the fitted readings (a step can come again that fast).',
  ),
  fact(
    'cgroup.secondsToLimitHigh',
    'seconds',
    'When growth is not a straight line (R² < 0.9): the longest projection, at the slowest positive rate of the whole fit and of each half of its window.',
  ),
  fact('cgroup.failcnt', 'count', 'v1 memory.failcnt (times usage hit the limit); v2 memory.events max.'),
  fact('cgroup.failcntPerSecond', 'count/s', 'Rate of failcnt (v2: memory.events max) over the window.'),
  fact(
    'cgroup.oomKills',
    'count',
    'OOM kills in this cgroup (v1 oom_control oom_kill, v2 memory.events oom_kill), last reading.',
  ),
  fact('cgroup.anonBytes', 'bytes', 'Anonymous memory (v1 rss, v2 anon), at peak usage.'),
  fact('cgroup.fileBytes', 'bytes', 'Page cache (v1 cache, v2 file), at peak usage.'),
  fact(
    'cgroup.fileMappedBytes',
    'bytes',
    'Mapped file pages (v1 mapped_file, v2 file_mapped), at peak usage.',
  ),
  fact('cgroup.fileToUsageRatio', 'ratio', 'Page cache / usage at peak usage.'),
  fact(
    'cgroup.pgmajfaultPerSecond',
    'count/s',
    'Major page faults per second in the cgroup (memory.stat pgmajfault).',
  ),
  fact(
    'cgroup.workingsetRefaultFilePerSecond',
    'count/s',
    'File pages refaulted per second after eviction (memory.stat workingset_refault_file; v1 on 5.9+).',
  ),
  fact(
    'cgroup.pgscanPerSecond',
    'count/s',
    'Pages scanned per second by reclaim in the cgroup (v2 memory.stat pgscan).',
  ),

  // host /proc/vmstat
  fact('vmstat.pgscanKswapdPerSecond', 'count/s', 'Pages scanned by kswapd per second (host).'),
  fact('vmstat.pgscanDirectPerSecond', 'count/s', 'Pages scanned by direct reclaim per second (host).'),
  fact('vmstat.pgstealKswapdPerSecond', 'count/s', 'Pages reclaimed by kswapd per second (host).'),
  fact('vmstat.pgstealDirectPerSecond', 'count/s', 'Pages reclaimed by direct reclaim per second (host).'),
  fact(
    'vmstat.allocstallPerSecond',
    'count/s',
    'Allocation stalls (direct reclaim entries) per second (host).',
  ),
  fact('vmstat.pgmajfaultPerSecond', 'count/s', 'Major page faults per second (host).'),
  fact(
    'vmstat.workingsetRefaultPerSecond',
    'count/s',
    'Workingset refaults per second (host; file + anon on 5.9+).',
  ),
  fact('vmstat.pswpinPerSecond', 'count/s', 'Pages swapped in per second (host).'),

  // PSI
  fact('psi.someAvg10MaxPercent', 'percent', 'Highest host `some avg10` memory pressure seen in the window.'),
  fact('psi.fullAvg10MaxPercent', 'percent', 'Highest host `full avg10` memory pressure seen in the window.'),
  fact(
    'psi.someStallRatio',
    'ratio',
    'Host `some` stall time / wall time over the window (from the total counter).',
  ),
  fact(
    'psi.cgroupSomeAvg10MaxPercent',
    'percent',
    'Highest cgroup memory.pressure `some avg10` seen in the window.',
  ),
  fact(
    'psi.cgroupFullAvg10MaxPercent',
    'percent',
    'Highest cgroup memory.pressure `full avg10` seen in the window.',
  ),
  fact('psi.cgroupSomeStallRatio', 'ratio', 'Cgroup `some` stall time / wall time over the window.'),

  // the process (/proc/<pid>/status)
  fact('process.rssBytes', 'bytes', 'VmRSS, last reading.'),
  fact('process.rssMaxBytes', 'bytes', 'Highest VmRSS (or VmHWM) seen.'),
  fact('process.rssSlopeBytesPerSecond', 'bytes/s', 'Least-squares slope of VmRSS.'),
  fact('process.rssTrendR2', 'ratio', 'R² of the VmRSS trend.'),
  fact('process.rssToLimitRatio', 'ratio', 'Highest VmRSS / the container memory limit.'),
  fact('process.rssFileBytes', 'bytes', 'RssFile (file-backed resident pages), last reading.'),
  fact('process.rssFileToRssRatio', 'ratio', 'RssFile / VmRSS, last reading.'),
  fact('process.threads', 'count', 'Threads, last reading.'),
  fact(
    'process.rssToGoHeapRatio',
    'ratio',
    'VmRSS / Go HeapAlloc, median over the second half of the window (Go only).',
  ),

  // JVM (NMT and GC log)
  fact('jvm.nmtSamples', 'count', 'Number of NMT summaries in the bundle.'),
  fact('jvm.nmtCommittedBytes', 'bytes', 'NMT total committed, last summary.'),
  fact('jvm.heapCommittedBytes', 'bytes', 'NMT `Java Heap` committed, last summary.'),
  fact('jvm.offHeapCommittedBytes', 'bytes', 'NMT total committed minus Java Heap committed, last summary.'),
  fact('jvm.offHeapSlopeBytesPerSecond', 'bytes/s', 'Least-squares slope of off-heap committed.'),
  fact('jvm.offHeapTrendR2', 'ratio', 'R² of the off-heap trend.'),
  fact('jvm.offHeapGrowthBytes', 'bytes', 'Off-heap committed, last minus first summary.'),
  fact('jvm.offHeapToLimitRatio', 'ratio', 'Off-heap committed / the container memory limit.'),
  fact(
    'jvm.metaspaceCommittedBytes',
    'bytes',
    'NMT `Metaspace` committed (JDK 17+), else `Class` committed, last summary.',
  ),
  fact(
    'jvm.metaspaceSlopeBytesPerSecond',
    'bytes/s',
    'Least-squares slope of Metaspace (or Class) committed.',
  ),
  fact('jvm.metaspaceTrendR2', 'ratio', 'R² of the Metaspace (or Class) trend.'),
  fact('jvm.classes', 'count', 'Loaded classes (NMT `Class (classes #N)`), last summary.'),
  fact('jvm.classesSlopePerSecond', 'count/s', 'Least-squares slope of loaded classes.'),
  fact('jvm.classesTrendR2', 'ratio', 'R² of the loaded-classes trend.'),
  fact('jvm.threads', 'count', 'Threads (NMT `Thread (thread #N)`), last summary.'),
  fact('jvm.threadsSlopePerSecond', 'count/s', 'Least-squares slope of the thread count.'),
  fact('jvm.threadsTrendR2', 'ratio', 'R² of the thread-count trend.'),
  fact(
    'jvm.directCommittedBytes',
    'bytes',
    'NMT `Other` committed (direct ByteBuffers and Unsafe allocations), last summary.',
  ),
  fact('jvm.directSlopeBytesPerSecond', 'bytes/s', 'Least-squares slope of NMT `Other` committed.'),
  fact('jvm.directTrendR2', 'ratio', 'R² of the NMT `Other` trend.'),
  fact(
    'jvm.rssOutsideHeapBytes',
    'bytes',
    'VmRSS minus NMT `Java Heap` committed, last readings: resident memory outside the Java heap.',
  ),
  fact(
    'jvm.topGrowingCategory',
    'string',
    'NMT category (other than Java Heap) whose committed bytes grew most.',
  ),
  fact('jvm.topGrowingCategoryBytes', 'bytes', 'Growth of that category, last minus first summary.'),
  fact(
    'jvm.heapAfterGcSlopeBytesPerSecond',
    'bytes/s',
    'Least-squares slope of heap occupancy after each GC (GC log).',
  ),
  fact('jvm.heapAfterGcTrendR2', 'ratio', 'R² of the after-GC heap trend.'),
  fact('jvm.fullGcCount', 'count', 'Full collections in the GC log.'),
  fact('jvm.gcPauseRatio', 'ratio', 'Sum of GC pauses / log window (GC log).'),
  fact('jvm.gcPauseRatioRecent', 'ratio', 'Sum of GC pauses / time, over the later half of the GC log.'),
  fact('jvm.fullGcCountRecent', 'count', 'Full collections in the later half of the GC log.'),
  fact(
    'jvm.heapAfterGcToCommittedRatio',
    'ratio',
    'Median heap after GC / heap committed over the later half of the GC log: near 1 when collections free nothing.',
  ),
  fact(
    'gctrace.nextGoalToLimitRatio',
    'ratio',
    'Estimated goal of the next cycle (live heap of the last cycle × the median goal/previous-live ratio) / the container limit.',
  ),

  // Cross-source signals (engine/facts/signals/): one meaning, from the best source present.
  fact(
    'signal.jvmUntrackedBytes',
    'bytes',
    'RssAnon minus NMT total committed, last reading: at least this much native memory NMT does not track.',
  ),
  fact(
    'signal.jvmHeapShareOfGrowth',
    'ratio',
    'Heap-after-GC slope / (that + NMT off-heap slope + untracked native slope), else (no NMT) / the anonymous-memory slope: which side of -Xmx a JVM grows on.',
  ),
  fact(
    'signal.stacksSlopeBytesPerSecond',
    'bytes/s',
    'Slope of goroutine stack bytes at each GC (gctrace, Go 1.18+).',
  ),
  fact('signal.stacksTrendR2', 'ratio', 'R² of the goroutine-stack trend.'),
  fact('signal.stacksGrowthBytes', 'bytes', 'Goroutine stack bytes, last GC minus first.'),
  fact(
    'signal.rssAnonToGoHeapRatio',
    'ratio',
    'RssAnon / HeapAlloc (MemStats), median over the later half: anonymous memory per byte of Go heap.',
  ),
  fact(
    'signal.goHeapExcessBytes',
    'bytes',
    'RssAnon − HeapAlloc (MemStats), median over the later half: resident memory beyond the Go heap.',
  ),
  fact(
    'signal.heapUnwrittenBytes',
    'bytes',
    'HeapAlloc − (anonymous + swapped memory), median over the later half: Go heap the program allocated and never wrote (negative when the process holds more than its heap, as it usually does).',
  ),
  fact(
    'signal.heapUnwrittenShare',
    'ratio',
    'Share of the Go heap never written to memory: (HeapAlloc − anonymous − swapped) / HeapAlloc, later-half median; below 0 when the process holds more than its heap, as it usually does.',
  ),
  fact(
    'signal.windowSeconds',
    'seconds',
    'The bundle window: meta.json start to end, else first to last reading.',
  ),
  fact(
    'signal.liveHeapSource',
    'string',
    'Where the live-heap signal came from: gctrace, memstats or pprof.',
  ),
  fact(
    'signal.liveHeapBytes',
    'bytes',
    'Live heap after the last GC (gctrace; else lowest HeapAlloc between GCs; else heap profile in-use).',
  ),
  fact(
    'signal.liveHeapSlopeBytesPerSecond',
    'bytes/s',
    'Least-squares slope of the live heap after GC, after start-up.',
  ),
  fact('signal.liveHeapTrendR2', 'ratio', 'R² of the live-heap trend.'),
  fact('signal.liveHeapToLimitRatio', 'ratio', 'Live heap after the last GC / the container memory limit.'),
  fact('signal.liveHeapWindowSeconds', 'seconds', 'Time covered by the live-heap series.'),
  fact(
    'signal.liveHeapLateSlopeBytesPerSecond',
    'bytes/s',
    'Slope of the live heap over the later half of the window.',
  ),
  fact(
    'signal.liveHeapLateToOverallSlopeRatio',
    'ratio',
    'Later-half slope / whole-window slope of the live heap: about 1 for steady growth, near 0 when a warm-up levelled off.',
  ),
  fact(
    'signal.heapObjectsSlopePerSecond',
    'count/s',
    'Slope of the heap object count (MemStats HeapObjects, else heap profiles).',
  ),
  fact(
    'signal.bytesPerNewObject',
    'bytes',
    'Live-heap slope / heap-object slope: the size of what the heap gains per object.',
  ),
  fact(
    'signal.gcCpuRecentPercent',
    'percent',
    'GC CPU share over the later half of the window (gctrace; else GCCPUFraction since start).',
  ),
  fact('signal.gcPerSecondRecent', 'count/s', 'GC cycles per second over the later half of the window.'),
  fact(
    'signal.goalToLiveRatio',
    'ratio',
    'Median heap goal / live heap over the later half (gctrace, else NextGC / post-GC HeapAlloc).',
  ),
  fact('signal.goroutines', 'count', 'Goroutines at the end (MemStats samples, else goroutine profiles).'),
  fact('signal.goroutinesGrowth', 'count', 'Goroutines, last minus first.'),
  fact('signal.goroutinesPerSecond', 'count/s', 'Goroutines, last minus first, per second of the window.'),
  fact('signal.goroutinesWindowSeconds', 'seconds', 'Time covered by the goroutine counts.'),
  fact('signal.goroutinesTrendR2', 'ratio', 'R² of the goroutine-count trend over the whole window.'),
  fact(
    'signal.goroutinesNewHighShare',
    'ratio',
    'Share of goroutine readings that set a new high (a leak climbs; a pool breathes).',
  ),
  fact(
    'signal.anonSlopeBytesPerSecond',
    'bytes/s',
    'Slope of anonymous and shared memory (cgroup memory.stat rss/anon + shmem; else RssAnon + RssShmem), after start-up: what reclaim cannot drop without swap.',
  ),
  fact('signal.anonTrendR2', 'ratio', 'R² of the anonymous (+ shared) memory trend.'),
  fact(
    'signal.anonGrowthBytes',
    'bytes',
    'Anonymous (+ shared) memory, last minus first reading after start-up.',
  ),
  fact(
    'signal.anonToLimitRatio',
    'ratio',
    'Highest anonymous (+ shared) memory / the container memory limit.',
  ),
  fact(
    'signal.outsideGoRuntimeSlopeBytesPerSecond',
    'bytes/s',
    'Slope of RSS (anon) minus what the Go runtime holds (Sys − HeapReleased): cgo, C libraries, raw mmap.',
  ),
  fact('signal.outsideGoRuntimeTrendR2', 'ratio', 'R² of that trend.'),
  fact(
    'signal.outsideGoRuntimeGrowthBytes',
    'bytes',
    'Growth of memory outside the Go runtime over the window after start-up.',
  ),
  fact(
    'signal.rssAnonToLiveHeapRatio',
    'ratio',
    'RssAnon (median, later half) / the live heap after the last GC: about 1 + GOGC/100 plus runtime overhead when healthy.',
  ),
  fact(
    'signal.rssAnonToHeapGoalRatio',
    'ratio',
    'RssAnon (median, later half) / the heap goal (live heap after the last GC × the recent goal/live ratio): about 1 plus stacks and runtime overhead when healthy, whatever GOGC is.',
  ),
  fact(
    'signal.anonBeyondHeapGoalBytes',
    'bytes',
    'RssAnon (median, later half) minus the heap goal (live heap × goal/live): resident memory the heap cycle does not explain.',
  ),
  fact(
    'signal.anonBeyondLiveHeapBytes',
    'bytes',
    'RssAnon (median, later half) minus the live heap after the last GC.',
  ),
  fact(
    'signal.anonBeyondLiveHeapSlopeBytesPerSecond',
    'bytes/s',
    'Anonymous-memory slope minus live-heap growth: growth the Go heap does not explain.',
  ),
  fact(
    'signal.jvmUntrackedSlopeBytesPerSecond',
    'bytes/s',
    'Slope of RssAnon minus NMT total committed (native memory NMT does not track).',
  ),
  fact('signal.jvmUntrackedTrendR2', 'ratio', 'R² of that trend.'),
  fact(
    'signal.jvmUntrackedGrowthBytes',
    'bytes',
    'Growth of RssAnon minus NMT committed over the window after start-up.',
  ),
  fact('psi.ioSomeAvg10MaxPercent', 'percent', 'Highest host `some avg10` IO pressure (/proc/pressure/io).'),
  fact('psi.cgroupIoSomeAvg10MaxPercent', 'percent', 'Highest cgroup io.pressure `some avg10`.'),

  // kernel log
  fact('kernel.oomKills', 'count', 'OOM-killer `Killed process` reports in the kernel log.'),
  fact(
    'kernel.oomKillMemcg',
    'boolean',
    'The last OOM kill was a memory-cgroup OOM (limit reached), not a global one.',
  ),
  fact('kernel.oomKilledProcess', 'string', 'Name of the last process the OOM killer killed.'),
  fact('kernel.oomKilledAnonRssBytes', 'bytes', 'anon-rss of the last killed process.'),

  // the alert
  fact('alert.firing', 'boolean', 'The alert that triggered this incident is firing (false when resolved).'),
  fact('alert.name', 'string', 'The alert`s alertname label.'),
  fact('alert.severity', 'string', 'The alert`s severity label, lower-cased (critical, warning, info, …).'),

  // How collection went (meta.json `warnings`, acquisition-warnings.json)
  fact(
    'acquisition.targetFailures',
    'count',
    'Failed requests to the service`s own endpoints (/debug/vars, /debug/pprof, /metrics) while collecting.',
  ),
  fact(
    'acquisition.targetFailure',
    'string',
    'The most frequent failure: refused, timeout, http-404, http-error, unresolved or other.',
  ),
  fact(
    'acquisition.runtimeDataMissing',
    'boolean',
    'The endpoints failed and no runtime data (MemStats, gctrace, profiles, metrics) is in the bundle.',
  ),
];

const BY_ID: ReadonlyMap<string, FactDefinition> = new Map(FACT_CATALOGUE.map((d) => [d.id, d]));

export function getFactDefinition(id: string): FactDefinition | undefined {
  return BY_ID.get(id);
}

export function factIds(): string[] {
  return [...BY_ID.keys()];
}
