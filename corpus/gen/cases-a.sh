#!/usr/bin/env bash
# Helper "a" cases: go-map-leak / go-slice-overcap variants and healthy Go
# services. Each case runs one workload (cmd/*) through ./capture.sh (which
# holds the machine-wide capture lock); raw output goes to out/<case>.
# Build the workloads first (one at a time):
#   for c in previewd ssogw ratelimitd presenced reportd ingestd fanoutd chatgw searchd avatard jsonproxy geoipd pushgw; do
#     GOPATH=/tmp/workloads-gopath GOCACHE=/tmp/workloads-gocache GOFLAGS=-mod=mod GO111MODULE=on /usr/lib/go-1.19/bin/go build -o bin/$c ./cmd/$c; done
# usage: ./cases-a.sh CASE...
set -euo pipefail
GEN="$(cd "$(dirname "$0")" && pwd)"
BIN="$GEN/bin"
MiB=$((1 << 20))
cap() { "$GEN/capture.sh" "$@"; }

# go-map-leak: map[string][]byte of 8 KiB rendered frames, made by an inlined helper (newFrame), never evicted.
case_a_previewd() {
  cap a-previewd go_map_leak $((768 * MiB)) 45s \
    "previewd: image preview service at 900 req/s (35% repeats of recent URLs). Every new URL gets an 8 KiB preview frame (allocated by newFrame, inlined into render/main) stored in a map[string][]byte keyed by the URL, never evicted: ~585 new frames/s, ~4.6 MiB/s retained. 768 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/previewd" -rps 900 -frame-bytes 8192 -repeat-ratio 0.35 -http-file '{ADDR_FILE}'
}

# go-map-leak: map[uint64]session with ~300-byte struct values (stored indirectly by the map) plus their strings, never pruned.
case_a_ssogw() {
  cap a-ssogw go_map_leak $((512 * MiB)) 60s \
    "ssogw: SSO gateway; 6000 logins/s each insert a ~300-byte session struct (strings, scopes slice, device id, csrf token) by value into a map[uint64]session; 12000 authenticated requests/s read and re-store sessions. Expired sessions are rejected on lookup but never deleted (no sweep, logouts never happen). 512 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/ssogw" -logins-per-sec 6000 -auth-per-sec 12000 -session-ttl 30m -http-file '{ADDR_FILE}'
}

# go-map-leak: many small maps: map[clientAddr]map[routeClass]int, new client addresses keep arriving (1-4 entries each).
case_a_ratelimitd() {
  cap a-ratelimitd go_map_leak $((512 * MiB)) 45s \
    "ratelimitd: per-client request accounting at 30000 req/s; counts are kept in map[string]map[string]int (client IPv6 /64 -> route class -> count). 40% of requests come from a new client prefix, so ~12000 new inner maps/s (each a small map with 1-4 entries plus its key string), never pruned. 512 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/ratelimitd" -rps 30000 -new-client-ratio 0.4 -limit-per-route 600 -http-file '{ADDR_FILE}'
}

# go-map-leak: map stays big after deletes: 800k-entry presence table (120-byte inline values), 90% deleted, buckets never shrink, then slow refill.
case_a_presenced() {
  cap a-presenced go_map_leak $((640 * MiB)) 60s \
    "presenced: presence table map[uint64]presence (120-byte values stored inline in the buckets). A reconnect storm registers 800000 connections in the first 6 s (90% anonymous guests with a 10 s TTL and no other heap; signed-in ones carry a 512-byte outbox); the 5 s sweep deletes the expired guests (~720000 deletes around t=10-15 s) but the map's bucket array (~136 MB) never shrinks, so the live heap stays high. Afterwards 3000 signed-in connections/s keep being added (not expired within the capture) and 40000 heartbeats/s (512-byte frames, short-lived) refresh connections. 640 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/presenced" -reconnect-storm 800000 -storm-seconds 6 -guest-share 0.9 -guest-ttl 10s -sweep-every 5s -conns-per-sec 3000 -outbox-bytes 512 -heartbeats-per-sec 40000 -http-file '{ADDR_FILE}'
}

# go-map-leak: slow cache of large values: 15 inserts/s of 64-256 KiB PDFs into a map, never evicted (objects barely grow, bytes climb).
case_a_reportd() {
  cap a-reportd go_map_leak $((512 * MiB)) 90s \
    "reportd: renders PDF account statements at 15/s (64-256 KiB each, one large allocation per statement) and keeps every rendered statement in a map[string]*rendered keyed by account/period/locale, never evicted; 400 downloads/s of recent statements. ~2.3 MiB/s retained with only ~15 new heap objects/s retained. 512 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/reportd" -renders-per-sec 15 -min-kib 64 -max-kib 256 -downloads-per-sec 400 -http-file '{ADDR_FILE}'
}

# go-slice-overcap: bufio-style line reader with a fresh 64 KiB buffer per fill; an index map keeps key tokens buf[start:end] pinning whole buffers.
case_a_ingestd() {
  cap a-ingestd go_slice_overcap $((512 * MiB)) 45s \
    "ingestd: profile importer reading an 8 MiB/s tab-separated export through a minimal line reader that allocates a new 64 KiB buffer on every fill (the unread tail is copied over). Each line's key (ln[:tab], a sub-slice of the read buffer, ~10 bytes) is stored in a map[uint64][]byte index of distinct keys. 50000 hot keys repeat; ~80 new distinct keys/s arrive, so ~40% of the 128 buffers/s are pinned by one or two 10-byte keys (~3-4 MiB/s retained). 512 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/ingestd" -buffer-bytes 65536 -mib-per-sec 8 -new-keys-per-sec 80 -hot-keys 50000 -http-file '{ADDR_FILE}'
}

# go-slice-overcap: per-endpoint batch buffers reset with b = b[:0] and kept forever; occasional big bursts ratchet their capacity up.
case_a_fanoutd() {
  cap a-fanoutd go_slice_overcap $((640 * MiB)) 60s \
    "fanoutd: webhook fan-out to 3000 endpoints (+4 new/s). 20000 events/s (skewed to big customers) are appended as NDJSON to a per-endpoint []byte batch; every 50 ms each batch is flushed and reset with b = b[:0], the buffer kept on the endpoint forever. 8 replay bursts/s hit random endpoints (log-normal size, median 192 KiB, up to 16 MiB), so each endpoint's buffer capacity ratchets up to its largest burst and never comes down while len is usually a few KiB. 640 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/fanoutd" -endpoints 3000 -new-endpoints-per-sec 4 -events-per-sec 20000 -bursts-per-sec 8 -burst-median-kib 192 -flush-every 50ms -http-file '{ADDR_FILE}'
}

# go-slice-overcap: per-room []*message histories cut with h = h[len(h)-k:] on archive; the backing array (and every message it points to) stays.
case_a_chatgw() {
  cap a-chatgw go_slice_overcap $((384 * MiB)) 45s \
    "chatgw: live-stream chat gateway; 12 new rooms/s, each live for 3 s receiving ~1000 messages (64-byte struct + 120-240 byte body) appended to a []*message history. On archive the history is cut to the last 50 messages by re-slicing the head (h = h[len(h)-50:]); the ~1000-slot backing array is never reallocated, so it and all ~1000 messages it still points to stay reachable (~250 KiB per room where 50 messages are logically kept). Archived rooms are kept for replay viewers. 384 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/chatgw" -rooms-per-sec 12 -live-for 3s -messages-per-room 1000 -scrollback 50 -body-min 120 -body-max 240 -http-file '{ADDR_FILE}'
}

# go-slice-overcap: ~1.4M small live index objects hide a slowly growing set of 1 MiB buffers pinned by ~40-byte title sub-slices.
case_a_searchd() {
  cap a-searchd go_slice_overcap $((384 * MiB)) 75s \
    "searchd: search node with a flat in-memory posting index built at start (1000000 16-byte postings in linked lists + 200000 terms with their strings, ~1.4M small live objects), 3000 queries/s. Catalogue update files (1 MiB each, read whole into a fresh buffer) arrive at 1.5/s; the product title (~40 bytes, a sub-slice of the buffer) is appended to a 'recently updated' list, pinning the whole 1 MiB buffer: ~1.5 MiB/s retained in ~1.5 objects/s, while average bytes per live object stays ~100 B. 384 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/searchd" -postings 1000000 -terms 200000 -queries-per-sec 3000 -updates-per-sec 1.5 -update-kib 1024 -http-file '{ADDR_FILE}'
}

# healthy: bounded LRU warms up for ~15 s then plateaus.
case_a_avatard() {
  cap a-avatard healthy $((512 * MiB)) 45s \
    "avatard: avatar service, 5200 req/s (Zipf over 2M users) in front of a bounded LRU (container/list + map, 36000 entries of 2-4 KiB). The cache fills during the first ~15 s, then every miss evicts the oldest entry: live heap climbs to ~110 MiB and plateaus (hit ratio ~55-60%). 512 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/avatard" -cache-entries 36000 -rps 5200 -users 2000000 -min-bytes 2048 -max-bytes 4096 -http-file '{ADDR_FILE}'
}

# healthy: ~250 MiB/s of short-lived garbage over a flat ~40 MiB live heap.
case_a_jsonproxy() {
  cap a-jsonproxy healthy $((256 * MiB)) 45s \
    "jsonproxy: API aggregation proxy, 6000 req/s on 2 workers; each request allocates backend payload buffers (12-36 KiB + half-size copy), decodes/encodes a small JSON document and builds a response: ~250 MiB/s of short-lived garbage over a flat ~45 MiB live heap (640000-entry pointer-free route table, so marking is cheap). Many GCs per second, cheap marks. 256 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/jsonproxy" -rps 6000 -workers 2 -payload-kib 24 -routes 640000 -http-file '{ADDR_FILE}'
}

# healthy: flat live heap (~105 MiB) sitting at ~55% of GOMEMLIMIT=192MiB.
case_a_geoipd() {
  cap a-geoipd healthy $((384 * MiB)) 45s \
    "geoipd: IP geolocation lookups (20000/s) over a database loaded at start (700000 ranges, 120000 location records, a 72 MiB raw copy in 1 MiB pages): ~105 MiB live, flat. GOMEMLIMIT=192MiB (live heap ~55% of it), GOGC default; the ~12 MiB/s of answer garbage is collected when the heap nears the memory limit. 384 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -env GOMEMLIMIT=192MiB -- "$BIN/geoipd" -ranges 700000 -locations 120000 -lookups-per-sec 20000 -http-file '{ADDR_FILE}'
}

# healthy: 5000 parked session goroutines created at start, constant afterwards.
case_a_pushgw() {
  cap a-pushgw healthy $((160 * MiB)) 45s \
    "pushgw: push gateway opening 5000 device-session goroutines at start (each blocked on its channel, with a 1 KiB frame buffer and nested framing that grows its stack); 3000 notifications/s are dispatched to random sessions. Goroutine count (~5000) and heap stay flat. 160 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/pushgw" -sessions 5000 -notifications-per-sec 3000 -frame-bytes 1024 -http-file '{ADDR_FILE}'
}

ALL=(a-previewd a-ssogw a-ratelimitd a-presenced a-reportd a-ingestd a-fanoutd a-chatgw a-searchd a-avatard a-jsonproxy a-geoipd a-pushgw)
if [ $# -eq 0 ]; then set -- "${ALL[@]}"; fi
for c in "$@"; do
  case "$c" in
    a-*) fn="case_${c//-/_}"; declare -F "$fn" >/dev/null || { echo "unknown case $c (known: ${ALL[*]})" >&2; exit 2; }; "$fn" ;;
    *) echo "unknown case $c (known: ${ALL[*]})" >&2; exit 2 ;;
  esac
done
