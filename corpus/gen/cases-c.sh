#!/usr/bin/env bash
# Helper "c" cases: JVM (OpenJDK 17) workloads for jvm-offheap, jvm-heap-leak
# and healthy. Each case runs one java/*.java workload (source-file launch,
# like run.sh's jvm cases, NMT summary + gc.log) through ./capture.sh (which
# holds the machine-wide capture lock); raw output goes to out/<case>.
# usage: ./cases-c.sh CASE...
set -euo pipefail
GEN="$(cd "$(dirname "$0")" && pwd)"
MiB=$((1 << 20))
cap() { "$GEN/capture.sh" "$@"; }
JAVA=(java -XX:NativeMemoryTracking=summary -Xlog:gc:file=gc.log)

# jvm-offheap: direct ByteBuffers (NMT "Other") retained by a retransmit window that is never trimmed
# (the trim uses the minimum ack over all registered subscribers, one of which never connects).
case_c_mdrelay() {
  cap c-mdrelay jvm_offheap $((768 * MiB)) 60s \
    "MarketDataRelay.java (OpenJDK 17, source-file launch, G1, -Xmx128m, -XX:MaxDirectMemorySize=2g, NMT summary): fans out a market-data feed (750 frames/s, 2-14 KiB each, ~6 MiB/s) to 2 loopback TCP subscribers. Each frame is encoded into a ByteBuffer.allocateDirect buffer and kept in a retransmit window (ConcurrentSkipListMap seq->buffer) trimmed up to the lowest sequence acknowledged by all registered subscribers; a 'replay-archiver' subscriber is registered but never connects, so its ack stays 0 and nothing is ever trimmed. Direct memory (NMT 'Other', BufferPool 'direct') grows ~6 MiB/s while the Java heap stays small." \
    -kind java -jcmd-every 4s -- "${JAVA[@]}" -XX:+UseG1GC -Xmx128m -XX:MaxDirectMemorySize=2g "$GEN/java/MarketDataRelay.java" --http-file '{ADDR_FILE}' --frames-per-sec 750 --mean-frame-bytes 8192 --subscribers 2
}

# jvm-offheap: thread leak; a new thread per job that blocks forever in SynchronousQueue.put when the client has timed out.
case_c_reportsched() {
  cap c-reportsched jvm_offheap $((512 * MiB)) 60s \
    "ReportScheduler.java (OpenJDK 17, source-file launch, G1, -Xmx128m, NMT summary): 60 report jobs/s, each rendered on a new platform thread (recursive template expansion, 600-1800 frames deep, touches ~100 KiB of stack) that hands the result to the requesting client through a SynchronousQueue.put. Clients wait 200 ms; half the jobs include a slow warehouse query (250-650 ms), their clients give up, and the worker thread stays parked in put() forever. ~30 threads/s leak: thread count and NMT 'Thread' committed climb, Java heap stays small." \
    -kind java -jcmd-every 4s -- "${JAVA[@]}" -XX:+UseG1GC -Xmx128m "$GEN/java/ReportScheduler.java" --http-file '{ADDR_FILE}' --jobs-per-sec 60 --client-timeout-ms 200 --slow-share 0.5 --template-depth 1200
}

# jvm-offheap: zlib state of java.util.zip.Deflater objects that are never end()ed and stay referenced (malloc'd by zlib, invisible to NMT).
case_c_logarchive() {
  cap c-logarchive jvm_offheap $((640 * MiB)) 60s \
    "LogArchiveService.java (OpenJDK 17, source-file launch, G1, -Xmx128m, NMT summary): archives tenant log uploads (25/s, 96 KiB each) as raw-deflate segments. Every upload gets a SegmentWriter with its own java.util.zip.Deflater (level 6, ~256 KiB of zlib state malloc'd by zlib); writers are kept in an upload table (HashMap, never pruned) so retried uploads can be acknowledged, and Deflater.end() is never called, so the Cleaner never frees the zlib state. RSS and cgroup usage grow ~6 MiB/s while the NMT total stays flat (zlib's malloc is not tracked by NMT) and the Java heap stays small." \
    -kind java -jcmd-every 4s -- "${JAVA[@]}" -XX:+UseG1GC -Xmx128m "$GEN/java/LogArchiveService.java" --http-file '{ADDR_FILE}' --uploads-per-sec 25 --batch-kib 96 --retry-share 0.05
}

# jvm-heap-leak: static ArrayList of audit records (with 0.5-2 KiB byte[] diffs) that is never trimmed (--history-limit 0 = keep all), G1.
case_c_audittrail() {
  cap c-audittrail jvm_heap_leak $((1024 * MiB)) 60s \
    "AuditTrailService.java (OpenJDK 17, source-file launch, G1, -Xmx768m, NMT summary): 2 producer threads record 2000 audit events/s; each event (record with actor/action/resource strings and a 0.5-2 KiB byte[] diff) is serialised to JSON for the compliance sink (short-lived garbage) and appended to a static HISTORY ArrayList for the recent-events query, which is never trimmed (--history-limit 0). Java heap after GC climbs ~3 MiB/s; native memory flat." \
    -kind java -jcmd-every 4s -- "${JAVA[@]}" -XX:+UseG1GC -Xmx768m "$GEN/java/AuditTrailService.java" --http-file '{ADDR_FILE}' --events-per-sec 2000 --producers 2 --history-limit 0
}

# jvm-heap-leak: HashMap<String,String> idempotency cache keyed by X-Request-Id (a new UUID per request), never evicted, ParallelGC.
case_c_farequote() {
  cap c-farequote jvm_heap_leak $((768 * MiB)) 60s \
    "FareQuoteService.java (OpenJDK 17, source-file launch, ParallelGC, -Xmx384m, NMT summary): HTTP fare quote API (com.sun.net.httpserver, 4-thread pool) driven by 3 built-in HttpURLConnection clients at ~400 req/s. Each response (~4 KiB JSON string, 32 fare classes) is memoised in a static HashMap keyed by the request's X-Request-Id so that retries (1 in 50) get the same quote; every other request has a fresh UUID and entries are never evicted. Old generation after full/young GCs climbs ~1.5 MiB/s." \
    -kind java -jcmd-every 4s -- "${JAVA[@]}" -XX:+UseParallelGC -Xmx384m -Dsun.net.httpserver.nodelay=true "$GEN/java/FareQuoteService.java" --http-file '{ADDR_FILE}' --rps 400 --clients 3 --fare-classes 32
}

# jvm-heap-leak: observer registry (CopyOnWriteArrayList of lambdas) where closed subscriptions are flagged but their listeners never removed; slow, G1.
case_c_pricefeed() {
  cap c-pricefeed jvm_heap_leak $((640 * MiB)) 90s \
    "PriceFeedHub.java (OpenJDK 17, source-file launch, G1, -Xmx384m, NMT summary): 150 client subscriptions/s, each registering a QuoteListener lambda (capturing its Subscription: instrument HashSet of 8-32 symbols and a 2 KiB outbound StringBuilder) on a CopyOnWriteArrayList in the hub; a ticker publishes 400 quotes/s to all listeners. Subscriptions close after 2 s, but close() only sets a flag: the listener is never removed, so listeners (and every closed subscription) accumulate. Heap after GC climbs slowly (~0.5 MiB/s); dispatch cost and copy-on-write garbage grow with it." \
    -kind java -jcmd-every 4s -- "${JAVA[@]}" -XX:+UseG1GC -Xmx384m "$GEN/java/PriceFeedHub.java" --http-file '{ADDR_FILE}' --subs-per-sec 150 --ticks-per-sec 10 --sub-lifetime-ms 2000
}

# jvm-heap-leak: open-session table never flushed (watermark stuck by an idle partition) until the heap reaches -Xmx; SerialGC.
case_c_clickstream() {
  cap c-clickstream jvm_heap_leak $((512 * MiB)) 60s \
    "ClickstreamSessionizer.java (OpenJDK 17, source-file launch, SerialGC, -Xmx256m, NMT summary): sessionizes 26000 page-view events/s from 8 partitions into a HashMap of open sessions (per-user ArrayList of PageView records). Sessions are emitted once the watermark (minimum event time over all partitions) passes their end, but one partition is idle, so the watermark never advances and no session is ever emitted: the heap after GC climbs ~7 MiB/s until it reaches -Xmx256m, then back-to-back full GCs (in the recorded run no OutOfMemoryError was thrown within the window; the JVM kept thrashing). 512 MiB cgroup limit (not reached)." \
    -kind java -jcmd-every 4s -- "${JAVA[@]}" -XX:+UseSerialGC -Xmx256m "$GEN/java/ClickstreamSessionizer.java" --http-file '{ADDR_FILE}' --events-per-sec 26000 --partitions 8 --idle-partitions 1
}

# healthy: G1 heap stably near -Xmx (~75% live geo table loaded at start), request churn, flat after-GC occupancy.
case_c_geolookup() {
  cap c-geolookup healthy $((512 * MiB)) 60s \
    "GeoLookupService.java (OpenJDK 17, source-file launch, G1, -Xmx256m, NMT summary): IP geolocation API over an in-memory range table (560000 ranges with strings and metadata byte[], ~190 MiB live, ~75% of the heap) loaded once at start and only read afterwards; 3 built-in HttpURLConnection clients at ~400 req/s. Young/mixed GCs clear request garbage; heap after GC is high but flat, threads and native memory flat." \
    -kind java -jcmd-every 4s -- "${JAVA[@]}" -XX:+UseG1GC -Xmx256m -Dsun.net.httpserver.nodelay=true "$GEN/java/GeoLookupService.java" --http-file '{ADDR_FILE}' --ranges 560000 --rps 400 --clients 3
}

# healthy: G1 with heavy allocation churn (~300 MiB/s) and a flat ~50 MiB live set.
case_c_enricher() {
  cap c-enricher healthy $((1024 * MiB)) 60s \
    "EventEnricher.java (OpenJDK 17, source-file launch, G1, -Xmx512m, NMT summary): 2 worker threads parse 40000 JSON tracking events/s, join them with a 200000-campaign reference table loaded at start (~45 MiB live) and re-serialise them; every event is short-lived garbage (maps, token lists, strings; ~300 MiB/s allocated). Young GCs every ~0.5-1 s reclaim almost everything; heap after GC, threads and NMT flat." \
    -kind java -jcmd-every 4s -- "${JAVA[@]}" -XX:+UseG1GC -Xmx512m "$GEN/java/EventEnricher.java" --http-file '{ADDR_FILE}' --events-per-sec 40000 --workers 2 --campaigns 200000
}

ALL=(c-mdrelay c-reportsched c-logarchive c-audittrail c-farequote c-pricefeed c-clickstream c-geolookup c-enricher)
if [ $# -eq 0 ]; then set -- "${ALL[@]}"; fi
for c in "$@"; do
  case "$c" in
    c-*) fn="case_${c//-/_}"; declare -F "$fn" >/dev/null || { echo "unknown case $c (known: ${ALL[*]})" >&2; exit 2; }; "$fn" || echo "case $c: harness exit $?" >&2 ;;
    *) echo "unknown case $c (known: ${ALL[*]})" >&2; exit 2 ;;
  esac
done
