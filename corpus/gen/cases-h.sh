#!/usr/bin/env bash
# Helper h's captures (FRESH3 held-out set, captured 2026-12-06 after the third round of rule
# changes): one new mechanism per case, none of them used in tuning/, evaluation/, fresh/ or
# fresh2/. Each case runs through ./capture.sh (machine-wide lock, raw output in out/<case>); pack
# with ./pack.sh CASE CAUSE fresh3 "MECHANISM" afterwards. Data files are created here, OUTSIDE the
# test cgroup, fsync'd and dropped from the page cache before the capture and removed after it.
# usage: ./cases-h.sh case [case ...]   (no argument: all cases)
# build: Go: for c in h-idemstore h-upstreamgw h-snippetd h-zipstream h-memguard h-batchscore; do
#              GOPATH=/tmp/workloads-gopath GOCACHE=/tmp/workloads-gocache GOFLAGS=-mod=mod GO111MODULE=on \
#                /usr/lib/go-1.19/bin/go build -o bin/$c ./cmd/$c; done   (h-zipstream needs zlib1g-dev: cgo -lz)
#        Java/Python/Node: source launch (java/h/*.java, py/h/*.py, node/h/*.js)
set -euo pipefail
GEN="$(cd "$(dirname "$0")" && pwd)"
cd "$GEN"
BIN="$GEN/bin"
MiB=$((1 << 20))
DATA="${TMPDIR:-/tmp}"

# go-map-leak: sync.Map of idempotency keys (UUID string -> *idemRecord), TTL sweeper never started.
case_h_idemstore() {
  ./capture.sh h-idemstore go_map_leak $((512 * MiB)) 55s \
    "idemstore: idempotency layer of a payments API; 6000 POSTs/s each carry a UUID Idempotency-Key that is looked up in a sync.Map and, on a miss (90%; 10% are client retries of recent keys), stored with a response record (*idemRecord: status, timestamp, 32-byte request fingerprint, 180-byte response body, merchant). The 24 h TTL sweeper is only started when -sweep-every is set, which the deployment never does, so every key stays in the sync.Map (its read-only map, dirty map and *entry boxes) forever: ~5400 new keys/s. Request garbage: formatted bodies and keys. 512 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/h-idemstore" -rps 6000 -retry-ratio 0.1 -resp-bytes 180 -http-file '{ADDR_FILE}'
}

# go-goroutine-leak: http.Client without Timeout calling a hung upstream; goroutines wait forever in roundTrip + readLoop (netpoll).
case_h_upstreamgw() {
  ./capture.sh h-upstreamgw go_goroutine_leak $((256 * MiB)) 55s \
    "upstreamgw: product-page aggregation gateway; 400 page requests/s, each handled in its own goroutine that calls the inventory backend and, for 10% of products, the legacy pricing backend over HTTP keep-alive. The http.Client has no Timeout and the requests no context deadline; the legacy backend (a hung upstream: accepts and reads, never answers) never replies, so ~40 requests/s wait forever: the handler goroutine in Transport.roundTrip (select), the connection's readLoop in a network read (netpoll IO wait) and its writeLoop, each connection's bufio buffers, one fd on each side, and the request's 6 KiB decoded page model. 256 MiB cgroup limit (not the constraint)." \
    -env GODEBUG=gctrace=1 -- "$BIN/h-upstreamgw" -rps 400 -legacy-ratio 0.1 -model-bytes 6144 -http-file '{ADDR_FILE}'
}

# go-slice-overcap: strings.Builder.Grow(worst case 8 KiB) then b.String() cached: each 150-450-byte snippet pins an 8 KiB buffer.
case_h_snippetd() {
  ./capture.sh h-snippetd go_slice_overcap $((512 * MiB)) 55s \
    "snippetd: search-result snippet service; 2500 requests/s, 85% served from a map[key]string snippet cache (bounded at 200000 entries, not reached), 15% render a new highlighted snippet of 150-450 bytes and cache it (~375 fills/s). The renderer calls strings.Builder.Grow(8192) up front with the worst-case snippet size; Builder.String() returns a string sharing the Builder's buffer, so every cached few-hundred-byte string keeps its whole 8 KiB backing array reachable (~3 MiB/s of heap for ~0.1 MiB/s of snippet text). 512 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/h-snippetd" -rps 2500 -hit-ratio 0.85 -max-snippet 8192 -http-file '{ADDR_FILE}'
}

# go-native-leak: cgo zlib binding; deflateEnd only called on the error path, libz's internal state (~270 KiB) leaked per stream.
case_h_zipstream() {
  ./capture.sh h-zipstream go_native_leak $((384 * MiB)) 55s \
    "zipstream: log archive uploader; 20 finished log segments/s (24-64 KiB of log lines) are each compressed by a new z_stream from a small cgo zlib binding (deflateInit2 level 6, windowBits 15, memLevel 8), and the compressed bytes are copied into Go memory (C.GoBytes; the binding frees its own C.malloc'd in/out buffers). The binding's Close() (deflateEnd) is only called on the error path; on success the Go handle is simply dropped, so libz's internal state (window, hash chains, pending buffer, ~270 KiB malloc'd inside libz per stream, mostly written) is never freed: ~4-5 MiB/s of C heap while the Go heap stays a few MiB. 384 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/h-zipstream" -segments-per-sec 20 -min-kb 24 -max-kb 64 -http-file '{ADDR_FILE}'
}

ALL=(h-idemstore h-upstreamgw h-snippetd h-zipstream)
if [ $# -eq 0 ]; then set -- "${ALL[@]}"; fi
for c in "$@"; do
  fn="case_${c//-/_}"
  if ! declare -F "$fn" >/dev/null; then echo "unknown case $c (known: ${ALL[*]})" >&2; exit 2; fi
  "$fn"
done
