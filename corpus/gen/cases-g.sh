#!/usr/bin/env bash
# Helper g's captures (FRESH2 held-out set, captured 2026-12-06 after the second round of rule
# changes): one new mechanism per case, none of them used in tuning/, evaluation/ or fresh/.
# Each case runs through ./capture.sh (machine-wide lock, raw output in out/<case>); pack with
# ./pack.sh CASE CAUSE fresh2 "MECHANISM" afterwards. Data files are created here, OUTSIDE the
# test cgroup, fsync'd and dropped from the page cache before the capture and removed after it.
# usage: ./cases-g.sh case [case ...]   (no argument: all cases)
# build: Go: for c in g-spandedup g-blobproxy g-meterd g-pdfgate g-respcache g-shmbridge g-quoted g-geojoin; do
#              GOPATH=/tmp/workloads-gopath GOCACHE=/tmp/workloads-gocache GOFLAGS=-mod=mod GO111MODULE=on \
#                /usr/lib/go-1.19/bin/go build -o bin/$c ./cmd/$c; done
#        Java/Node: source launch (java/g/*.java, node/g/*.js)
set -euo pipefail
GEN="$(cd "$(dirname "$0")" && pwd)"
cd "$GEN"
BIN="$GEN/bin"
MiB=$((1 << 20))
DATA="${TMPDIR:-/tmp}"

# go-map-leak: dedup table map[[16]byte]*seenTrace (trace ID -> struct with three small slices), never pruned.
case_g_spandedup() {
  ./capture.sh g-spandedup go_map_leak $((384 * MiB)) 55s \
    "spandedup: trace-span ingest front end; 8000 new traces/s (plus 15% retried batches) are checked against a dedup table map[[16]byte]*seenTrace keyed by the 16-byte trace ID. Each entry is a 56-byte struct holding three small slices (1-6 span IDs, a one-element services slice, 2-5 attribute hashes), ~200-250 B per trace with the map slot; the TTL sweeper was never wired in, so nothing is ever deleted. Request garbage ~10 MiB/s. 384 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/g-spandedup" -traces-per-sec 8000 -retry-ratio 0.15 -max-spans 6 -http-file '{ADDR_FILE}'
}

# go-goroutine-leak: io.Pipe producers blocked forever in PipeWriter.Write after the consumer returned early without closing the reader.
case_g_blobproxy() {
  ./capture.sh g-blobproxy go_goroutine_leak $((128 * MiB)) 50s \
    "blobproxy: upload proxy, 300 uploads/s; each upload's producer goroutine encodes the body in 2-8 KiB frames into an io.Pipe that the store client reads. When the store rejects an upload after the first 4 KiB (20%), the handler returns its error without closing the pipe reader, so the producer goroutine blocks forever inside PipeWriter.Write (sync.Mutex/channel wait in io.(*pipe).write), holding its chunk buffer and frame (~4-16 KiB): ~60 leaked goroutines/s. 128 MiB cgroup limit (not the constraint)." \
    -env GODEBUG=gctrace=1 -- "$BIN/g-blobproxy" -uploads-per-sec 300 -reject-ratio 0.2 -min-chunk 2048 -max-chunk 8192 -chunks 24 -http-file '{ADDR_FILE}'
}

# go-slice-overcap: interior pointers &batch[i] into decoded []reading batch arrays kept as alert exemplars.
case_g_meterd() {
  ./capture.sh g-meterd go_slice_overcap $((512 * MiB)) 50s \
    "meterd: smart-meter ingest; 10 batches/s of 2000 readings are decoded into one []reading each (a single ~234 KiB backing array of 120-byte inline structs). Readings outside the voltage band (~3-4 per batch) are kept as alert exemplars as &batch[i] - an interior pointer that keeps the whole batch array reachable - in a list only cleared by operator acknowledgement, which never comes: ~35 exemplars/s pin ~2.3 MiB/s of batch arrays. 512 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/g-meterd" -batches-per-sec 10 -batch-size 2000 -breach-rate 0.0006 -http-file '{ADDR_FILE}'
}

# go-gc-thrash: debug.FreeOSMemory() (forced GC + scavenge) after every large response.
case_g_pdfgate() {
  ./capture.sh g-pdfgate go_gc_thrash $((256 * MiB)) 50s \
    "pdfgate: PDF rendering gateway with a pointer-rich glyph/template cache (600000 glyph structs with path slices and kerning maps, ~75 MiB live, loaded at start), 120 renders/s requested; after every response larger than 1 MiB (~6% of them) the handler calls debug.FreeOSMemory() to 'return the memory', forcing a full GC plus scavenge several times a second on top of the GOGC cycles (gctrace marks them forced). GOGC default, no GOMEMLIMIT; 256 MiB cgroup limit (not the constraint)." \
    -env GODEBUG=gctrace=1 -- "$BIN/g-pdfgate" -glyphs 600000 -rps 120 -large-ratio 0.06 -large-bytes 1048576 -http-file '{ADDR_FILE}'
}

# go-heap-fragmentation: byte-bounded cache whose entry size mix drifts from 256 B-1 KiB to 8-28 KiB; random eviction leaves small-class spans sparse.
case_g_respcache() {
  ./capture.sh g-respcache go_heap_fragmentation $((384 * MiB)) 55s \
    "respcache: API response cache bounded at 80 MiB of bodies with random eviction. Warmed at start to the budget with ~130000 small JSON fragments (256 B-1 KiB, size classes with 8-32 objects per span); then the traffic mix drifts to 8-28 KiB rendered pages (200 fills/s, ~3.5 MiB/s) while 4000 reads/s hit it (each leaving a 4 KiB scratch buffer). Every body byte is written. Random eviction removes most small entries, but the survivors are scattered over nearly every small-class span, while the large bodies need new spans of other classes: cached bytes (live heap) stay at ~80 MiB while the heap in use grows. 384 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/g-respcache" -budget-mb 80 -warm-min 256 -warm-max 1024 -day-min 8192 -day-max 28672 -fills-per-sec 200 -hits-per-sec 4000 -http-file '{ADDR_FILE}'
}

# go-native-leak: memfd_create + MAP_SHARED segments whose sidecar ack never comes, never munmap'd/closed (shmem, outside the Go heap).
case_g_shmbridge() {
  ./capture.sh g-shmbridge go_native_leak $((384 * MiB)) 50s \
    "shmbridge: zero-copy frame hand-off to a video-analytics sidecar; 8 frame groups/s are written into 1 MiB shared-memory segments (memfd_create, ftruncate, mmap MAP_SHARED, every page written). A segment is munmap'd and closed when the sidecar acknowledges it; half of them (cameras whose sidecar stream restarted) are never acknowledged and nothing expires them, so ~4 MiB/s of shmem (file-backed shared pages, not anonymous) and one fd per segment accumulate while the Go heap stays a few MiB. 384 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/g-shmbridge" -segments-per-sec 8 -segment-kb 1024 -unacked-ratio 0.5 -http-file '{ADDR_FILE}'
}

# healthy: GOGC=400, flat ~35 MiB live, heap cycles up to ~5x live, far below the limit.
case_g_quoted() {
  ./capture.sh g-quoted healthy $((512 * MiB)) 50s \
    "quoted: insurance quote engine; a ~35 MiB rating table loaded at start, 1500 quotes/s each leaving ~25 KiB of worksheet garbage (~37 MiB/s). Deployed with GOGC=400 to cut GC CPU: the heap cycles up to ~5x the live set between collections, so RSS is several times the live heap - flat, and far below the 512 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -env GOGC=400 -- "$BIN/g-quoted" -cells 350000 -qps 1500 -http-file '{ADDR_FILE}'
}

# jvm-heap-leak: WeakHashMap<Session, SessionMeta> whose value holds a strong back-reference to its key: entries never expunged.
case_g_sessionreg() {
  ./capture.sh g-sessionreg jvm_heap_leak $((512 * MiB)) 55s \
    "SessionRegistry.java (OpenJDK 17, source-file launch, G1, -Xmx256m, NMT summary): WebSocket push gateway; 1500 connections/s, each short-lived (the gateway keeps only the last 3000 open and drops its reference on disconnect). Every Session is registered in a WeakHashMap<Session, SessionMeta> meant to forget closed connections by itself, but SessionMeta keeps a strong back-reference to its Session (owner, for push routing), so every key stays reachable through its own value and no entry is ever expunged. Each entry holds 0.5-1.5 KiB of decoded auth claims and a 12-topic subscription list (~2 KiB per connection, ~3 MiB/s). Threads, classes and NMT non-heap categories flat. 512 MiB cgroup limit." \
    -kind java -jcmd-every 4s -- java -XX:NativeMemoryTracking=summary -XX:+UseG1GC -Xmx256m -Xlog:gc:file=gc.log "$GEN/java/g/SessionRegistry.java" --http-file '{ADDR_FILE}' --connects-per-sec 1500 --claims-bytes 1024 --topics 12
}

# jvm-offheap: sun.nio.ch.Util per-thread temporary direct buffer cache, heap ByteBuffer writes on a 64-thread pool, no jdk.nio.maxCachedBufferSize.
case_g_exportsvc() {
  ./capture.sh g-exportsvc jvm_offheap $((768 * MiB)) 55s \
    "ExportService.java (OpenJDK 17, source-file launch, G1, -Xmx256m, NMT summary): tenant data export service; a fixed pool of 64 worker threads (all started at boot) writes each rendered export (200/s of 8-64 KiB, plus 1.5/s bulk exports of 1-6 MiB on random workers) to its sink with FileChannel.write of a heap ByteBuffer (ByteBuffer.wrap). The JDK copies a heap buffer through a temporary direct buffer of the write's size from a per-thread cache (sun.nio.ch.Util BufferCache) and keeps it cached in the thread; jdk.nio.maxCachedBufferSize is unset, so each worker ends up holding a direct buffer as large as the largest export it ever wrote, and direct/native memory ratchets up as bulk exports reach more workers. Heap after GC flat; thread count flat. 768 MiB cgroup limit." \
    -kind java -jcmd-every 4s -- java -XX:NativeMemoryTracking=summary -XX:+UseG1GC -Xmx256m -Xlog:gc:file=gc.log "$GEN/java/g/ExportService.java" --http-file '{ADDR_FILE}' --workers 64 --exports-per-sec 200 --bulk-per-sec 1.5 --bulk-min-mb 1 --bulk-max-mb 6
}

# kswapd-pressure: JVM (small flat heap) mmaps index segments 2x the limit (FileChannel.map) and reads them at random.
case_g_idxsearch() {
  local dir="$DATA/g-idxsegments"
  rm -rf "$dir"
  java "$GEN/java/g/IndexSearchService.java" --mksegments --dir "$dir" --segments 6 --segment-mb 64
  python3 -c 'import os,sys
for f in sys.argv[1:]:
    fd = os.open(f, os.O_RDONLY); os.fsync(fd); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)' "$dir"/*.pst
  ./capture.sh g-idxsearch kswapd_pressure $((192 * MiB)) 45s \
    "IndexSearchService.java (OpenJDK 17, source-file launch, G1, -Xmx64m, NMT summary): full-text search node that memory-maps 6 immutable 64 MiB index segment files read-only with FileChannel.map (as Lucene's MMapDirectory does; 384 MiB, 2x the limit) and has 4 search threads read 1-4 postings pages at random page-aligned offsets of the mappings, as fast as they can. The segments were written outside the cgroup, fsync'd and dropped from the page cache. The JVM itself needs ~60-80 MiB; the rest of the 192 MiB limit is mapped page cache that is continuously reclaimed and faulted in again, while the Java heap stays small and flat." \
    -kind java -jcmd-every 4s -- java -XX:NativeMemoryTracking=summary -XX:+UseG1GC -Xmx64m -Xlog:gc:file=gc.log "$GEN/java/g/IndexSearchService.java" --http-file '{ADDR_FILE}' --dir "$dir" --threads 4 --min-pages 1 --max-pages 4
  rm -rf "$dir"
}

# healthy: JVM with -Xms=-Xmx=384m and -XX:+AlwaysPreTouch: RSS near the whole heap from the first second, live set ~40 MiB, flat.
case_g_ratingsvc() {
  ./capture.sh g-ratingsvc healthy $((640 * MiB)) 50s \
    "RatingService.java (OpenJDK 17, source-file launch, G1, -Xms384m -Xmx384m -XX:+AlwaysPreTouch, NMT summary): product rating API; a ~40 MiB rating table (300000 records) loaded at start and 3000 requests/s of JSON rendering garbage. AlwaysPreTouch touches every heap page at JVM start, so RSS and cgroup usage sit near the whole 384 MiB heap plus JVM overhead (~70% of the 640 MiB limit) from the first second, while heap after GC stays ~40-60 MiB. RSS, heap after GC, threads and NMT flat." \
    -kind java -jcmd-every 4s -- java -XX:NativeMemoryTracking=summary -XX:+UseG1GC -Xms384m -Xmx384m -XX:+AlwaysPreTouch -Xlog:gc:file=gc.log "$GEN/java/g/RatingService.java" --http-file '{ADDR_FILE}' --products 300000 --rps 3000
}

# cgroup-oom-kill: Node.js Writable backpressure ignored; queued Buffers (outside the V8 heap) grow to the cgroup OOM kill.
case_g_logfwd() {
  ./capture.sh g-logfwd cgroup_oom_kill $((256 * MiB)) 45s \
    "logfwd.js (Node.js 20, no runtime endpoint, harness -kind proc): log forwarder sidecar; produces 64 KiB Buffers of JSON log lines at 10 MiB/s and writes them to a Writable stream for a collector that acknowledges one chunk per 40 ms (~1.6 MiB/s). The forwarder ignores writable.write()'s false return value and never waits for 'drain', so the Writable's internal buffer queues every pending chunk: ~8 MiB/s of Buffer memory (ArrayBuffer backing stores outside the V8 heap; V8 heap used stays ~10-20 MiB) until the cgroup OOM killer kills node at the 256 MiB limit." \
    -kind proc -- node "$GEN/node/g/logfwd.js" --rate-mb 10 --chunk-kb 64 --ack-ms 40
}

# go-no-memlimit: debug.SetGCPercent(-1) in code without the debug.SetMemoryLimit it needs; no GOMEMLIMIT: no GC ever, OOM kill.
case_g_geojoin() {
  ./capture.sh g-geojoin go_no_memlimit $((256 * MiB)) 50s \
    "geojoin: clickstream enrichment stage; joins 3000 events/s against a ~30 MiB geo/ASN table loaded at start (request garbage ~6 MiB/s: decoded event + enriched copy). The code turns the collector off at start with debug.SetGCPercent(-1) 'for throughput', a pattern only safe together with debug.SetMemoryLimit, whose flag (-memory-limit) defaults to 0 and was never set; GOMEMLIMIT is not set and GOGC is not in the environment. With neither trigger the runtime never collects and the heap grows until the cgroup limit. 256 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/g-geojoin" -entries 300000 -events-per-sec 3000 -http-file '{ADDR_FILE}'
}

ALL=(g-spandedup g-blobproxy g-meterd g-pdfgate g-respcache g-shmbridge g-quoted g-sessionreg g-exportsvc g-idxsearch g-ratingsvc g-logfwd g-geojoin)
if [ $# -eq 0 ]; then set -- "${ALL[@]}"; fi
for c in "$@"; do
  fn="case_${c//-/_}"
  if ! declare -F "$fn" >/dev/null; then echo "unknown case $c (known: ${ALL[*]})" >&2; exit 2; fi
  "$fn"
done
