#!/usr/bin/env bash
# Helper i's captures (FRESH4 held-out set, captured 2026-12-06 after the fourth round of rule
# changes): one new mechanism per case, none of them used in tuning/, evaluation/, fresh/, fresh2/
# or fresh3/ (nor examples/incidents/). Weighted towards Go map vs slice leaks. Each case runs
# through ./capture.sh (machine-wide lock, raw output in out/<case>); pack with
# ./pack.sh CASE CAUSE fresh4 "MECHANISM" afterwards.
# usage: ./cases-i.sh case [case ...]   (no argument: all cases)
# build: Go: for c in i-bookarchive i-crawlseen i-usagemeter i-respaudit i-scrapewin i-hitcache i-geocfg i-feedrank i-shardfan i-riskgraph i-labelgen i-wsframes i-hookstore; do
#              GOPATH=/tmp/workloads-gopath GOCACHE=/tmp/workloads-gocache GOFLAGS=-mod=mod GO111MODULE=on \
#                /usr/lib/go-1.19/bin/go build -o bin/$c ./cmd/$c; done
#        (i-labelgen uses cgo: needs gcc)
#        Java/Python: source launch (java/i/*.java, py/i/*.py); i-dedupexport needs GNU coreutils sort
set -euo pipefail
GEN="$(cd "$(dirname "$0")" && pwd)"
cd "$GEN"
BIN="$GEN/bin"
MiB=$((1 << 20))
DATA="${TMPDIR:-/tmp}"

# go-map-leak: map[int64]*bookSnapshot (seq -> ~2-3 KiB struct: inline 40-level depth array + trades slice), archive never compacted.
case_i_bookarchive() {
  ./capture.sh i-bookarchive go_map_leak $((512 * MiB)) 55s \
    "bookarchive: market-data replay archive; 1500 order-book snapshots/s are decoded from their wire frame into a *bookSnapshot (20 bid + 20 ask levels stored inline in the struct, ~1.7 KiB, plus a slice of the 8-40 trades since the previous snapshot, 32 B each) and stored in map[int64]*bookSnapshot keyed by sequence number so clients can replay from any point (200 replay lookups/s of 20 consecutive sequences). The nightly compaction job that should trim the archive is not run by this deployment, so every snapshot stays: ~2-3 KiB per snapshot, ~4 MiB/s. Request garbage: the wire frames and replay responses. 512 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/i-bookarchive" -snaps-per-sec 1500 -min-trades 8 -max-trades 40 -replay-rps 200 -http-file '{ADDR_FILE}'
}

# go-map-leak: map[string]struct{} "seen" set of 120-600-byte canonical URL keys, never pruned (memory is the keys + buckets).
case_i_crawlseen() {
  ./capture.sh i-crawlseen go_map_leak $((384 * MiB)) 55s \
    "crawlseen: URL frontier of a web crawler; 8000 extracted links/s are canonicalized into 120-600-byte URL strings (string(b) of a reused build buffer, so each key is an exact-size string) and checked against a seen-set map[string]struct{} so no page is queued twice. ~85% of links are new URLs and are added to the set; the set was meant to be replaced by a bounded Bloom filter and is never pruned, so it holds every URL ever seen: its memory is all long key strings plus the map's buckets (no values), ~2.5-3 MiB/s. Request garbage: one 48 KiB fetched page body per 10 ms. 384 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/i-crawlseen" -links-per-sec 8000 -new-ratio 0.85 -min-len 120 -max-len 600 -http-file '{ADDR_FILE}'
}

# go-map-leak: per-tenant map of maps, 40 tenants each with a big inner map[uint64]usageRow (80-byte inline values), devices never deleted.
case_i_usagemeter() {
  ./capture.sh i-usagemeter go_map_leak $((384 * MiB)) 55s \
    "usagemeter: IoT usage metering; 25000 usage events/s aggregated in map[tenantID]map[deviceID]usageRow. Only 40 tenants, so the outer map is tiny, but each tenant's inner map gets a new entry for every device that ever reported (60% of events come from device IDs not seen before: fleet rollouts, IDs regenerated after factory resets). usageRow is an 80-byte struct stored inline in the inner maps' buckets (no per-entry pointer), rows are reset at billing close but never deleted, so the inner maps' bucket arrays keep doubling (each growth allocates a new array twice the size and evacuates incrementally): heap grows in steps, ~15000 new devices/s. Request garbage: the decoded event batch per 10 ms. 384 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/i-usagemeter" -events-per-sec 25000 -new-device-ratio 0.6 -tenants 40 -http-file '{ADDR_FILE}'
}

# go-slice-overcap: bytes.Buffer render buffer; a 64-byte buf.Bytes()[:64] preview kept in the audit trail pins the whole buffer.
case_i_respaudit() {
  ./capture.sh i-respaudit go_slice_overcap $((512 * MiB)) 55s \
    "respaudit: API gateway response recorder; 50 responses/s are rendered as 16-96 KiB JSON bodies into a fresh bytes.Buffer each (grown by doubling, so the final backing array is up to ~2x the body). For the compliance audit trail the recorder keeps a 64-byte preview of every response as buf.Bytes()[:64] - a sub-slice sharing the buffer's backing array - in an audit list retained for 24 h, so each 64-byte preview keeps its whole 32-192 KiB render buffer reachable: ~4-5 MiB/s of heap for ~3 KiB/s of previews, few heap objects. 512 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/i-respaudit" -rps 50 -min-kb 16 -max-kb 96 -preview 64 -http-file '{ADDR_FILE}'
}

# go-slice-overcap: tail sub-slice pts[len(pts)-8:] of each decoded []sample scrape array kept in a 1-hour recent-values list.
case_i_scrapewin() {
  ./capture.sh i-scrapewin go_slice_overcap $((384 * MiB)) 55s \
    "scrapewin: metrics downsampler; 25 scrapes/s are each decoded into one []sample (3000-5000 inline 24-byte samples, a single pointer-free ~70-120 KiB backing array), aggregated, and the last 8 samples kept for the recent-values panel as pts[len(pts)-8:] - a tail sub-slice sharing the scrape's backing array - in a time-ordered list trimmed to one hour, so within the window nothing is trimmed and every 192 bytes of kept samples pins a whole decoded scrape: ~2.3 MiB/s. 384 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/i-scrapewin" -scrapes-per-sec 25 -min-samples 3000 -max-samples 5000 -keep 8 -retention 1h -http-file '{ADDR_FILE}'
}

# go-slice-overcap: result slices created with make([]*hit, 0, 2048) for the worst case and cached as-is with 3-24 hits.
case_i_hitcache() {
  ./capture.sh i-hitcache go_slice_overcap $((512 * MiB)) 55s \
    "hitcache: product search result cache; 1500 queries/s, ~20% cache misses run a search that collects hits into a result slice pre-sized for the worst case, make([]*hit, 0, 2048) (a 16 KiB array of pointers), and stores that slice as-is in map[uint64][]*hit (bounded at 300000 entries, not reached). Real queries return 3-24 hits (small *hit structs pointing into the shared 100000-product catalogue), so each cached result keeps a 16 KiB backing array of which 24-192 bytes are used: ~300 fills/s, ~4.7 MiB/s of heap. 512 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/i-hitcache" -qps 1500 -miss-ratio 0.2 -max-hits 2048 -products 100000 -max-entries 300000 -http-file '{ADDR_FILE}'
}

# healthy: config reload at t=22 s doubles the routing rule table (built next to the old one, atomic swap): one step, then flat.
case_i_geocfg() {
  ./capture.sh i-geocfg healthy $((384 * MiB)) 55s \
    "geocfg: geo-routing edge service; a 150000-rule routing table (CIDR prefix -> *rule with pool name, weights and tags) loaded at start, 4000 lookups/s with short-lived response garbage. At t=22 s a config push arrives with a rule set twice the size (a new region came online): the service builds the new 300000-rule table next to the old one, swaps an atomic pointer and drops the old table. The live heap steps up once to the new table's size and then stays flat; nothing else is retained. 384 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/i-geocfg" -rules 150000 -new-rules 300000 -reload-at 22s -rps 4000 -http-file '{ADDR_FILE}'
}

# healthy: GOGC=off + GOMEMLIMIT=160MiB (environment) in a 512 MiB cgroup: heap saws from the ~40 MiB live set up to the memory limit.
case_i_feedrank() {
  ./capture.sh i-feedrank healthy $((512 * MiB)) 55s \
    "feedrank: home-feed ranking service deployed as the Go GC guide suggests for containers: GOGC=off and GOMEMLIMIT=160MiB in the environment, 512 MiB cgroup limit. A ~40 MiB candidate/feature table (250000 items) loaded at start; 1250 ranking requests/s each leave ~24 KiB of scoring garbage (~30 MiB/s). With GOGC off the runtime collects only when the heap reaches the memory limit, so the heap climbs from the live set to ~160 MiB, is collected back to the live set and climbs again: a steady saw-tooth with a GC every few seconds, no trend, far below the cgroup limit." \
    -env GODEBUG=gctrace=1 -env GOGC=off -env GOMEMLIMIT=160MiB -- "$BIN/i-feedrank" -items 250000 -rps 1250 -http-file '{ADDR_FILE}'
}

# go-goroutine-leak: scatter-gather collector goroutines stuck forever in sync.WaitGroup.Wait because a failing shard worker skips wg.Done().
case_i_shardfan() {
  ./capture.sh i-shardfan go_goroutine_leak $((256 * MiB)) 55s \
    "shardfan: scatter-gather query front end; 300 queries/s, each fans out to 4-8 shard worker goroutines and starts a collector goroutine (go func(){ wg.Wait(); close(results) }()); the handler returns when results is closed or at a 40 ms deadline. A shard call fails 2% of the time and the worker returns on that error path without calling wg.Done() (Done is at the end of the happy path, not deferred), so for ~12% of queries the handler times out and returns while the collector blocks forever in sync.WaitGroup.Wait (semacquire), keeping its WaitGroup and the (already drained) results channel reachable: ~35 leaked goroutines/s, little memory each (the partial results, 16-64 doc IDs plus a 2-6 KiB blob per shard, were consumed by the handler before its deadline and are garbage). 256 MiB cgroup limit (not the constraint)." \
    -env GODEBUG=gctrace=1 -- "$BIN/i-shardfan" -qps 300 -shard-fail-ratio 0.02 -deadline 40ms -http-file '{ADDR_FILE}'
}

# go-gc-thrash: debug.SetGCPercent(10) applied in code from a config tuning block (not in the environment) over a ~100 MiB pointer-rich graph.
case_i_riskgraph() {
  ./capture.sh i-riskgraph go_gc_thrash $((384 * MiB)) 55s \
    "riskgraph: fraud-risk scoring over a pointer-rich account graph (400000 accounts with device and peer pointer slices, 200000 shared devices with owner back-pointers; loaded at start). At start the service applies the runtime tuning block of its config file, whose gc_percent: 10 (copied from an old batch tool with a tiny heap) it passes to debug.SetGCPercent(10); GOGC is not in the environment and there is no GOMEMLIMIT. With GOGC=10 the heap goal is the live graph +10%, so every ~10 MiB of the ~40 MiB/s of scoring scratch (a 2-hop visited map and a feature buffer per request, 3000 requests/s) triggers a full mark of the whole graph: GCs back to back, a large share of the 2 vCPUs in the collector. 384 MiB cgroup limit (not the constraint)." \
    -env GODEBUG=gctrace=1 -- "$BIN/i-riskgraph" -accounts 400000 -rps 3000 -gc-percent 10 -http-file '{ADDR_FILE}'
}

# jvm-heap-leak: one long-lived ObjectOutputStream (replication stream) never reset(): its handle table retains every event written.
case_i_replicator() {
  ./capture.sh i-replicator jvm_heap_leak $((512 * MiB)) 55s \
    "EventReplicator.java (OpenJDK 17, source-file launch, G1, -Xmx256m, NMT summary): change-event replication sidecar; 1500 domain events/s (id and aggregate strings, a 4-entry attribute HashMap, a 0.5-1.5 KiB payload byte[]) are shipped to a standby replica over one long-lived loopback TCP connection with ObjectOutputStream.writeObject (flush() every 10 ms, the replica reads and discards). ObjectOutputStream keeps a handle table of every object written until reset(), which the sidecar never calls, so the stream retains every event ever replicated with its map, strings and payload: ~2-3 MiB/s of heap. Threads, classes and NMT non-heap flat. 512 MiB cgroup limit." \
    -kind java -jcmd-every 4s -- java -XX:NativeMemoryTracking=summary -XX:+UseG1GC -Xmx256m -Xlog:gc:file=gc.log "$GEN/java/i/EventReplicator.java" --http-file '{ADDR_FILE}' --eps 1500 --payload-bytes 1024
}

# cgroup-oom-kill: CPython ETL driver pipes rows into GNU sort -u -S 50% (of host RAM, not of the cgroup): sort's buffer grows to the OOM kill.
case_i_dedupexport() {
  local dir="$DATA/i-dedup-spill"
  rm -rf "$dir"; mkdir -p "$dir"
  ./capture.sh i-dedupexport cgroup_oom_kill $((256 * MiB)) 55s \
    "dedup_export.py (CPython 3.11 driver, no runtime endpoint, harness -kind proc) + GNU coreutils sort: deduplication step of a nightly customer export; the driver generates 120-260-byte CSV customer rows at 6 MiB/s and pipes them into a child sort -u -S 50% -T <spill dir>. sort sizes its in-memory buffer as 50% of the HOST's physical memory (24 GiB -> ~12 GiB), not of the 256 MiB memory cgroup, so it never spills a sorted run to the temp dir: every line read stays in its main-memory buffer (anonymous memory, lines plus line descriptors) and sort's resident memory grows with its input until the cgroup OOM killer kills sort; the driver then gets a broken pipe, reports the failed export and exits with status 1." \
    -kind proc -- /usr/bin/python3 "$GEN/py/i/dedup_export.py" --rate-mb 6 --sort-mem 50% --spill-dir "$dir"
  rm -rf "$dir"
}

# go-native-leak: os.Setenv (cgo linked -> glibc setenv) of a unique per-job options string before each call into a C library; glibc never frees old values.
case_i_labelgen() {
  ./capture.sh i-labelgen go_native_leak $((256 * MiB)) 55s \
    "labelgen: shipping-label rendering service around a legacy C label library (a small cgo function) that reads its per-job options only from getenv(\"LABELGEN_OPTS\"); the service calls os.Setenv(\"LABELGEN_OPTS\", opts) before each of 2000 cgo render calls/s. With cgo linked, os.Setenv goes through glibc's setenv(3), which never frees a previous value (it keeps every NAME=value string it allocated so that earlier getenv pointers stay valid; only identical values are reused), and every job's options string is unique (job id, carrier account, template options; 0.8-2 KiB), so each job leaks one malloc'd string on the C heap: ~3 MiB/s of native memory while the Go heap stays a few MiB (Go-side garbage: the options string and a 4-12 KiB rendered label per job). 256 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/i-labelgen" -jobs-per-sec 2000 -min-opts 800 -max-opts 2048 -http-file '{ADDR_FILE}'
}

# go-slice-overcap: per-connection pending []*frame reset with pending = pending[:0]; slots beyond len keep the 16 KiB initial-sync frames alive.
case_i_wsframes() {
  ./capture.sh i-wsframes go_slice_overcap $((384 * MiB)) 55s \
    "wsframes: WebSocket push gateway; 10 new long-lived client connections/s (none leave within the window). Each connection keeps a reusable pending []*frame that collects the frames of one message and is reset with pending = pending[:0] after dispatch. Every connection starts with an initial-sync message of 8-24 frames of 16 KiB; its later messages (one per second) are 1-2 frames of 256 B-2 KiB, which overwrite only the first slots, so the slots beyond len keep the initial-sync frames (and their 16 KiB payloads) reachable through the slice's capacity for the life of the connection: ~250 KiB of stale frames per ~1 KiB connection, ~2.5 MiB/s. 384 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/i-wsframes" -conns-per-sec 10 -sync-min-frames 8 -sync-max-frames 24 -frame-kb 16 -msg-every 1s -http-file '{ADDR_FILE}'
}

# healthy: JVM bounded LRU (LinkedHashMap access order + removeEldestEntry, 60000 entries) warming up from cold, then flat at its bound.
case_i_catalogcache() {
  ./capture.sh i-catalogcache healthy $((640 * MiB)) 55s \
    "CatalogCache.java (OpenJDK 17, source-file launch, G1, -Xms256m -Xmx256m, NMT summary): product-detail API with a bounded in-process LRU cache of rendered product documents (LinkedHashMap in access order, removeEldestEntry beyond 60000 entries; 0.6-1.2 KiB documents, ~1.4 KiB per entry with key, record and node). The service starts cold; 5000 requests/s over 2 million products (half of them to the hottest 5%) fill the cache until it reaches its bound after ~15 s; from then on every miss evicts the least recently used entry, so the live set stops growing at the bound (~80 MiB) while evicted documents accumulate in the old generation until G1's concurrent cycles and mixed collections reclaim them: heap after GC climbs during the warm-up and then saws with no trend. Request garbage: the rendered responses. Threads, classes and NMT non-heap flat. 640 MiB cgroup limit." \
    -kind java -jcmd-every 4s -- java -XX:NativeMemoryTracking=summary -XX:+UseG1GC -Xms256m -Xmx256m -Xlog:gc:file=gc.log "$GEN/java/i/CatalogCache.java" --http-file '{ADDR_FILE}' --rps 5000 --max-entries 60000 --products 2000000
}

# go-map-leak: map[string]map[string]any of json.Unmarshal'd webhook payloads keyed by delivery ID; the expiry pass was lost.
case_i_hookstore() {
  ./capture.sh i-hookstore go_map_leak $((512 * MiB)) 55s \
    "hookstore: inbound webhook receiver of an integration platform; 700 deliveries/s of 1-3 KiB partner JSON are each decoded with json.Unmarshal into a generic map[string]any (partner schemas vary) and stored in map[string]map[string]any keyed by delivery ID, so redeliveries (5%) are detected and originals can be replayed. The expiry pass for the partners' 72 h redelivery window was lost in a refactor, so every decoded payload stays: a tree of small maps, []any slices, strings and boxed float64s allocated inside encoding/json (~5-10 KiB and ~100 heap objects per delivery), ~4-5 MiB/s. Request garbage: the formatted body. 512 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/i-hookstore" -deliveries-per-sec 700 -redelivery-ratio 0.05 -min-items 3 -max-items 12 -http-file '{ADDR_FILE}'
}

ALL=(i-bookarchive i-crawlseen i-usagemeter i-respaudit i-scrapewin i-hitcache i-geocfg i-feedrank i-shardfan i-riskgraph i-replicator i-dedupexport i-labelgen i-wsframes i-catalogcache i-hookstore)
if [ $# -eq 0 ]; then set -- "${ALL[@]}"; fi
for c in "$@"; do
  fn="case_${c//-/_}"
  if ! declare -F "$fn" >/dev/null; then echo "unknown case $c (known: ${ALL[*]})" >&2; exit 2; fi
  "$fn"
done
