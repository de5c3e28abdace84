#!/usr/bin/env bash
# Helper b1's captures (go-goroutine-leak, go-gc-thrash, go-no-memlimit). Each case runs one
# workload from cmd/* through ./capture.sh (machine-wide lock, raw capture in out/<case>), then
# is packed with ./pack.sh. Binaries are built one at a time:
#   GOPATH=/tmp/workloads-gopath GOCACHE=/tmp/workloads-gocache GOFLAGS=-mod=mod GO111MODULE=on \
#     /usr/lib/go-1.19/bin/go build -o bin/NAME ./cmd/NAME
#   for NAME in quoteagg devlinkd ledgersync rpcgate geofenced tokencache featstore sessiond searchidx imgmeta finboard
# usage: ./cases-b1.sh [case ...]   (no argument: all cases)
set -euo pipefail
GEN="$(cd "$(dirname "$0")" && pwd)"
BIN="$GEN/bin"
MiB=$((1 << 20))
cap() { "$GEN/capture.sh" "$@"; }

# go-goroutine-leak (evaluation): fan-out workers block forever in an unbuffered send after the
# caller returned on its deadline.
case_b1_quoteagg() {
  cap b1-quoteagg go_goroutine_leak $((256 * MiB)) 45s \
    "quoteagg: shipping-quote aggregator, 50 quote requests/s; each request fans out to 6 carrier goroutines that send their quote (with a 2 KiB raw document) on an unbuffered results channel, and the request returns the best quote at its 30 ms deadline without draining the channel. 25% of carrier calls take 40-200 ms, so ~75 carrier goroutines/s block forever in 'results <- q'." \
    -env GODEBUG=gctrace=1 -- "$BIN/quoteagg" -rps 50 -carriers 6 -deadline 30ms -slow-share 0.25 -quote-bytes 2048 -http-file '{ADDR_FILE}'
}

# go-goroutine-leak (tuning): per-connection ticker keepalive loops whose stop channel is never
# closed on disconnect.
case_b1_devlinkd() {
  cap b1-devlinkd go_goroutine_leak $((256 * MiB)) 45s \
    "devlinkd: IoT device link service, 25 device connections/s each living ~2 s (8 status updates, 1 KiB session state). Each connection starts a keepalive goroutine (time.NewTicker 500ms; select on t.C and a stop channel); on disconnect the session is removed from the registry but stop is never closed, so every keepalive loop (with its ticker and session) lives on, ~25 goroutines/s, all waking twice a second." \
    -env GODEBUG=gctrace=1 -- "$BIN/devlinkd" -connects-per-sec 25 -session-lifetime 2s -keepalive 500ms -state-bytes 1024 -updates 8 -http-file '{ADDR_FILE}'
}

# go-goroutine-leak (evaluation): slow leak, ~0.1 goroutine/s over a flat background of ~30.
case_b1_ledgersync() {
  cap b1-ledgersync go_goroutine_leak $((192 * MiB)) 90s \
    "ledgersync: 24 posting workers apply 2000 postings/s (flat background of ~30 goroutines). Every 2 s a statement import streams parsed lines to an applier goroutine (for rec := range stream, 256 KiB staging buffer); 25% of statement files contain a malformed line and the importer returns the parse error without closing the stream, so the applier blocks in channel receive forever: ~0.12 leaked goroutines/s." \
    -env GODEBUG=gctrace=1 -- "$BIN/ledgersync" -workers 24 -postings-per-sec 2000 -import-every 2s -malformed-share 0.25 -staging-bytes 262144 -statement-lines 400 -http-file '{ADDR_FILE}'
}

# go-goroutine-leak (tuning): callers blocked on a response channel that never gets a response
# (request/response correlation map, one-way method treated as a call).
case_b1_rpcgate() {
  cap b1-rpcgate go_goroutine_leak $((256 * MiB)) 45s \
    "rpcgate: multiplexes 200 calls/s to an inventory backend over one pipelined connection; each call registers a response channel in a pending map[id]chan and blocks on <-ch with no timeout. 5% of calls are cache.invalidate, which the backend treats as one-way and never answers, so ~10 caller goroutines/s (each holding a 1 KiB request payload) block in chan receive forever and the pending map grows." \
    -env GODEBUG=gctrace=1 -- "$BIN/rpcgate" -rps 200 -invalidate-share 0.05 -backend-delay 3ms -payload-bytes 1024 -backend-workers 8 -http-file '{ADDR_FILE}'
}

# go-gc-thrash (evaluation): GOGC=5, no GOMEMLIMIT, sizeable pointer-rich live heap.
case_b1_geofenced() {
  cap b1-geofenced go_gc_thrash $((512 * MiB)) 45s \
    "geofenced: delivery-zone lookup service; 28000 zone polygons x 80 vertices, every vertex a heap object pointing back to its zone (~110 MiB pointer-rich live heap), queried by 2 workers as fast as they go (2 KiB decoded request + result strings per query). Run with GOGC=5 (no GOMEMLIMIT): the heap goal is live+5%, so the collector runs back-to-back and mark assists throttle the query workers. 512 MiB cgroup limit (not the constraint)." \
    -env GODEBUG=gctrace=1 -env GOGC=5 -- "$BIN/geofenced" -zones 28000 -vertices 80 -workers 2 -grid 256 -request-bytes 2048 -http-file '{ADDR_FILE}'
}

# go-gc-thrash (tuning): GOMEMLIMIT just above a large map cache.
case_b1_tokencache() {
  cap b1-tokencache go_gc_thrash $((384 * MiB)) 45s \
    "tokencache: OAuth token introspection cache preloaded with 450000 tokens (map[string]*entry with subject/client/scopes/claims, ~172 MiB live) serving 20000 introspections/s (fmt-rendered JSON garbage). GOMEMLIMIT=190MiB, about 10% above the live heap, so the GC goal is pinned just above live and the collector runs almost continuously. 384 MiB cgroup limit (not the constraint)." \
    -env GODEBUG=gctrace=1 -env GOMEMLIMIT=190MiB -- "$BIN/tokencache" -tokens 450000 -rps 20000 -workers 2 -claim-bytes 96 -http-file '{ADDR_FILE}'
}

# go-gc-thrash (evaluation): healthy for 40 s, then a backfill fills the cache up to just under
# GOMEMLIMIT and GC thrashes for the rest of the window.
case_b1_featstore() {
  cap b1-featstore go_gc_thrash $((320 * MiB)) 85s \
    "featstore: online feature store, ~42 MiB of entity metadata and 6000 scoring requests/s (4 KiB request bodies, score vectors). GOMEMLIMIT=192MiB. Healthy for the first 40 s; then a backfill streams historical feature rows into the row cache (~14 MiB/s) until it holds ~137 MiB, so live heap climbs to ~180 MiB, just under GOMEMLIMIT, and from ~50 s on the GC runs back-to-back. GCCPUFraction (since start) lags the recent GC CPU." \
    -env GODEBUG=gctrace=1 -env GOMEMLIMIT=192MiB -- "$BIN/featstore" -entities 250000 -rps 6000 -batch 24 -dims 48 -backfill-after 40s -backfill-mb-per-sec 12 -row-cache-mb 120 -request-bytes 4096 -http-file '{ADDR_FILE}'
}

# go-gc-thrash (tuning): container near its limit, GOMEMLIMIT at ~90% of the cgroup limit,
# live heap creeping towards it under a high allocation rate.
case_b1_sessiond() {
  cap b1-sessiond go_gc_thrash $((256 * MiB)) 60s \
    "sessiond: storefront session store; 180000 sessions restored at start (~100 MiB), 3500 logins/s adding sessions with a 30 min TTL (nothing expires in the window, ~2 MiB/s live growth) and 12000 page renders/s (6 KiB fragments, ~75 MiB/s garbage). GOMEMLIMIT=230MiB, 90% of the 256 MiB cgroup limit: as the live heap creeps towards 230 MiB the GC goal is capped by the limit and collections come ever closer together." \
    -env GODEBUG=gctrace=1 -env GOMEMLIMIT=230MiB -- "$BIN/sessiond" -initial-sessions 180000 -logins-per-sec 3500 -pages-per-sec 12000 -ttl 30m -profile-bytes 256 -fragment-bytes 6144 -http-file '{ADDR_FILE}'
}

# go-no-memlimit (evaluation): GOGC=200 with live heap ~40% of the limit: goal = 3x live > limit.
case_b1_searchidx() {
  cap b1-searchidx go_no_memlimit $((320 * MiB)) 60s \
    "searchidx: full-text search node; indexes a 180000-document shard at start (summaries + term posting lists, ~128 MiB live, flat afterwards) and serves 300 queries/s (posting-list intersection maps, result page strings). GOGC=200 and no GOMEMLIMIT: the heap goal is 3x the live heap (~385 MiB), above the 320 MiB cgroup limit, so garbage accumulates between collections towards a goal the container cannot hold." \
    -env GODEBUG=gctrace=1 -env GOGC=200 -- "$BIN/searchidx" -docs 180000 -terms-per-doc 40 -vocab 200000 -summary-bytes 320 -qps 300 -http-file '{ADDR_FILE}'
}

# go-no-memlimit (tuning): GOMEMLIMIT set above the container limit.
case_b1_imgmeta() {
  cap b1-imgmeta go_no_memlimit $((256 * MiB)) 60s \
    "imgmeta: photo-library metadata service holding 220000 images' metadata (paths, labels, 384-byte EXIF blocks, ~141 MiB live, flat) and serving 2000 JSON metadata requests/s (EXIF decode + encoding/json garbage). GOGC=100 with GOMEMLIMIT=512MiB, set above the 256 MiB cgroup limit, so the limit never constrains the GC: the heap goal (~282 MiB) lies above what the container can hold." \
    -env GODEBUG=gctrace=1 -env GOGC=100 -env GOMEMLIMIT=512MiB -- "$BIN/imgmeta" -images 220000 -exif-bytes 384 -rps 2000 -http-file '{ADDR_FILE}'
}

# go-no-memlimit (evaluation): sporadic big temporary buffers on top of a live heap ~50% of the limit.
case_b1_finboard() {
  cap b1-finboard go_no_memlimit $((320 * MiB)) 60s \
    "finboard: finance dashboards from in-memory daily rollups (10000 series x 365 days, ~160 MiB live, flat) with 500 small dashboard queries/s; every 5 s a ledger export renders the full report into one 40 MiB buffer (filled, then dropped). No GOMEMLIMIT, default GOGC (100): the goal is ~2x live (>= 320 MiB, more when a GC sees an export buffer live), so the export bursts push the heap towards and past the 320 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/finboard" -series 10000 -days 365 -qps 500 -export-every 5s -export-mb 40 -http-file '{ADDR_FILE}'
}

ALL=(b1-quoteagg b1-devlinkd b1-ledgersync b1-rpcgate b1-geofenced b1-tokencache b1-featstore b1-sessiond b1-searchidx b1-imgmeta b1-finboard)
if [ $# -eq 0 ]; then set -- "${ALL[@]}"; fi
for c in "$@"; do
  case "$c" in
    b1-quoteagg) case_b1_quoteagg ;;
    b1-devlinkd) case_b1_devlinkd ;;
    b1-ledgersync) case_b1_ledgersync ;;
    b1-rpcgate) case_b1_rpcgate ;;
    b1-geofenced) case_b1_geofenced ;;
    b1-tokencache) case_b1_tokencache ;;
    b1-featstore) case_b1_featstore ;;
    b1-sessiond) case_b1_sessiond ;;
    b1-searchidx) case_b1_searchidx ;;
    b1-imgmeta) case_b1_imgmeta ;;
    b1-finboard) case_b1_finboard ;;
    *) echo "unknown case $c (known: ${ALL[*]})" >&2; exit 2 ;;
  esac
done
