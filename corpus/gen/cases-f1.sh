#!/usr/bin/env bash
# Helper f1's captures (FRESH held-out set): one case per cause, mechanisms not used elsewhere.
# Each case runs one workload (cmd/f1-*) through ./capture.sh (machine-wide capture lock, raw
# capture in out/<case>), then is packed with ./pack.sh CASE CAUSE fresh "MECHANISM".
# Build (one at a time; cgo on for f1-mqbridge):
#   for c in f1-auditd f1-uploadgw f1-stockd f1-entitled f1-gazetteerd f1-feedsyncd f1-mqbridge; do
#     CGO_ENABLED=1 GOPATH=/tmp/workloads-gopath GOCACHE=/tmp/workloads-gocache GOFLAGS=-mod=mod GO111MODULE=on \
#       /usr/lib/go-1.19/bin/go build -o bin/$c ./cmd/$c; done
# usage: ./cases-f1.sh [case ...]   (no argument: all cases)
set -euo pipefail
GEN="$(cd "$(dirname "$0")" && pwd)"
BIN="$GEN/bin"
MiB=$((1 << 20))
cd "$GEN"

# go-map-leak: map[string]string audit index (request-id string -> ~150-byte formatted audit line
# built with strings.Builder/fmt), entries never deleted; 5000 req/s.
case_f1_map_leak() {
  ./capture.sh f1-map-leak go_map_leak $((160 * MiB)) 45s \
    "auditd: admin-API audit trail; every request's one-line audit record (timestamp, method, route, principal, status, latency, client; ~150 B, built with strings.Builder + fmt.Fprintf) is stored in a map[string]string keyed by its X-Request-Id (36-char string from fmt.Sprintf) for support look-ups, and never deleted. 5000 requests/s, 1% of them look-ups. 160 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/f1-auditd" -rps 5000 -lookup-ratio 0.01 -http-file '{ADDR_FILE}'
}

# go-slice-overcap: string(body) of each 512 KiB-1 MiB upload; a 16-byte substring (upload token,
# env[i:i+16]) is kept in a replay-protection map, pinning the whole body string.
case_f1_slice_overcap() {
  ./capture.sh f1-slice-overcap go_slice_overcap $((320 * MiB)) 45s \
    "uploadgw: signed-upload ingestion gateway at 4 uploads/s; each request body (512 KiB-1 MiB JSON envelope) is read into a fresh []byte, converted with string(body) for parsing, and the 16-character upload_token is extracted as a substring env[i:i+16] and kept in a map[string]int64 replay registry (never expired). Every kept 16-byte token shares the backing array of its whole body string, so ~3 MiB/s stays reachable while the registry itself holds only 4 small entries/s. 320 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/f1-uploadgw" -uploads-per-sec 4 -min-body-kb 512 -max-body-kb 1024 -http-file '{ADDR_FILE}'
}

# go-goroutine-leak: per-SKU sync.Mutex never unlocked on the backorder (early-return) path;
# every later request for that SKU blocks forever in Mutex.Lock.
case_f1_goroutine_leak() {
  ./capture.sh f1-goroutine-leak go_goroutine_leak $((128 * MiB)) 45s \
    "stockd: stock reservation service, 80 req/s, one goroutine per request (the built-in client gives up after 2 s). Reservations are serialized by a per-SKU sync.Mutex from a lock table; 32 of 400 SKUs start with only a few units, and when one runs out the backorder branch returns errBackorder without unlocking, so every later request for that SKU blocks forever in sync.Mutex.Lock (each holding its 2-6 KiB decoded request): ~5-6 new blocked goroutines/s once the low-stock SKUs are exhausted. 128 MiB cgroup limit (not the constraint)." \
    -env GODEBUG=gctrace=1 -- "$BIN/f1-stockd" -rps 80 -skus 400 -low-stock-skus 32 -low-stock-units 8 -client-timeout 2s -http-file '{ADDR_FILE}'
}

# go-gc-thrash: GOMEMLIMIT=100MiB BELOW the ~115-120 MiB live heap: the collector runs continuously,
# the GC CPU limiter caps it at ~50%, and the heap sits above the memory limit.
case_f1_gc_thrash() {
  ./capture.sh f1-gc-thrash go_gc_thrash $((256 * MiB)) 45s \
    "entitled: permission resolver; loads a pointer-rich role graph (900000 nodes: struct + name string + 4 parent pointers, ~115-120 MiB live) at start and answers ~8000 access checks/s per worker on 2 worker goroutines by graph walks (per-check visited map, path and stack slices, visit budget 1000). GOMEMLIMIT=100MiB is set BELOW the live heap, so the heap goal can never be met: GC runs back to back, the GC CPU limiter caps it around 50%, and the heap stays above the limit. 256 MiB cgroup limit (not the constraint)." \
    -env GODEBUG=gctrace=1 -env GOMEMLIMIT=100MiB -- "$BIN/f1-entitled" -nodes 900000 -fanout 4 -workers 2 -max-visit 1000 -checks-per-sec 8000 -http-file '{ADDR_FILE}'
}

# go-no-memlimit: GOGC=150, no GOMEMLIMIT, flat live heap ~45% of the cgroup limit with steady
# request garbage: heap goal ~2.5x live is above the limit.
case_f1_no_memlimit() {
  ./capture.sh f1-no-memlimit go_no_memlimit $((256 * MiB)) 60s \
    "gazetteerd: geocoding service; loads a gazetteer (240000 places with ~160 B alternate-names strings, a name map and a grid index; ~115 MiB live, ~45% of the 256 MiB cgroup limit) once, then serves 150 lookups/s, each rendering a JSON answer over ~24 candidates (steady short-lived garbage, ~2 MiB/s). GOGC=150 and no GOMEMLIMIT: the heap goal (~2.5x live, ~290 MiB) is above the cgroup limit." \
    -env GODEBUG=gctrace=1 -env GOGC=150 -- "$BIN/f1-gazetteerd" -places 240000 -alt-names-bytes 160 -rps 150 -candidates 24 -http-file '{ADDR_FILE}'
}

# healthy: worker pool breathing: a sync round every 10 s fans out to 2000 goroutines (1.5-3.5 s
# simulated upstream RPC each) which all exit again; fixed-size offer table, flat live heap.
case_f1_healthy() {
  ./capture.sh f1-healthy healthy $((192 * MiB)) 45s \
    "feedsyncd: partner catalog sync; every 10 s a sync round starts one goroutine per feed item (2000), each waits on a simulated upstream RPC (1.5-3.5 s), parses a 3-9 KiB offer document and updates a fixed 50000-entry offer table (keeping a 256-byte copy); the round waits for all of them (sync.WaitGroup) and the goroutines exit. Goroutines breathe ~5 -> ~2000 -> ~5 every 10 s, live heap flat. 192 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/f1-feedsyncd" -items 2000 -interval 10s -min-rpc 1500ms -max-rpc 3500ms -offer-kb 6 -offers 50000 -http-file '{ADDR_FILE}'
}

# go-native-leak: cgo C.malloc'd frame buffer per message, C.free only on the redelivery branch (5%).
case_f1_native_leak() {
  ./capture.sh f1-native-leak go_native_leak $((256 * MiB)) 45s \
    "mqbridge (cgo): forwards 1200 messages/s (1-4 KiB) from an internal queue to a legacy C framing library; each message is copied into a C.malloc'd buffer (len+12), framed in place by C code and copied out with C.GoBytes. The buffer is C.free()d only on the redelivery branch (5% of messages); first deliveries drop the pointer, so ~2.7 MiB/s of C heap (glibc malloc) is never returned while the Go heap stays flat. 256 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/f1-mqbridge" -msgs-per-sec 1200 -min-msg-bytes 1024 -max-msg-bytes 4096 -redelivery-ratio 0.05 -http-file '{ADDR_FILE}'
}

ALL=(f1-map-leak f1-slice-overcap f1-goroutine-leak f1-gc-thrash f1-no-memlimit f1-healthy f1-native-leak)
if [ $# -eq 0 ]; then set -- "${ALL[@]}"; fi
for c in "$@"; do
  case "$c" in
    f1-map-leak) case_f1_map_leak ;;
    f1-slice-overcap) case_f1_slice_overcap ;;
    f1-goroutine-leak) case_f1_goroutine_leak ;;
    f1-gc-thrash) case_f1_gc_thrash ;;
    f1-no-memlimit) case_f1_no_memlimit ;;
    f1-healthy) case_f1_healthy ;;
    f1-native-leak) case_f1_native_leak ;;
    *) echo "unknown case $c (known: ${ALL[*]})" >&2; exit 2 ;;
  esac
done
