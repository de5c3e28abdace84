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

# go-gc-thrash: home-grown memory guard: runtime.GC() whenever HeapAlloc > a soft limit now below the live heap.
case_h_memguard() {
  ./capture.sh h-memguard go_gc_thrash $((384 * MiB)) 50s \
    "memguard: session-affinity router with a pointer-rich routing table (700000 sessions -> *route with a backend pointer, a 2-4 entry route-history slice and, for a quarter of them, a labels map; loaded at start) serving 3000 lookups/s with short-lived header maps and buffers. A home-grown memory guard goroutine polls runtime.ReadMemStats every 50 ms and calls runtime.GC() whenever HeapAlloc exceeds its soft limit of 96 MiB; the limit was sized for an older, smaller table and is now below the live heap, so the guard forces a full collection on nearly every poll, back to back (gctrace marks them forced). GOGC default, no GOMEMLIMIT; 384 MiB cgroup limit (not the constraint)." \
    -env GODEBUG=gctrace=1 -- "$BIN/h-memguard" -sessions 700000 -rps 3000 -soft-limit-mb 96 -poll 50ms -http-file '{ADDR_FILE}'
}

# healthy: Go batch worker, fixed-size batch every 6 s: heap saw-tooths with a flat peak.
case_h_batchscore() {
  ./capture.sh h-batchscore healthy $((256 * MiB)) 50s \
    "batchscore: fraud-scoring batch worker; a ~12 MiB read-only model loaded at start, then every 6 s a batch of 220000 transactions (pointer structs with 24-float feature vectors, ~40 MiB) is decoded, scored and dropped. The heap saws up with every batch and back down at the next GC; the batch size is fixed, so every peak has the same height: no trend, far below the 256 MiB cgroup limit." \
    -env GODEBUG=gctrace=1 -- "$BIN/h-batchscore" -batch 220000 -every 6s -features 24 -http-file '{ADDR_FILE}'
}

# jvm-heap-leak: java.util.Timer guards cancelled with TimerTask.cancel() stay queued (no Timer.purge()) holding request contexts.
case_h_checkout() {
  ./capture.sh h-checkout jvm_heap_leak $((512 * MiB)) 55s \
    "CheckoutTimeouts.java (OpenJDK 17, source-file launch, G1, -Xmx160m, NMT summary): checkout orchestration service; 1500 checkouts/s, each schedules a 10-minute timeout guard (a TimerTask subclass holding the request context: request id, 3 headers, 1-6 cart lines, a 1-3 KiB serialized cart) on a shared java.util.Timer and cancels it with TimerTask.cancel() when the checkout completes a few ms later. A cancelled TimerTask is only marked cancelled and stays in the Timer's task queue until its delay expires or Timer.purge() is called, which the service never does, so the Timer's queue retains every request context: ~4 MiB/s of heap. Threads, classes and NMT non-heap flat. 512 MiB cgroup limit." \
    -kind java -jcmd-every 4s -- java -XX:NativeMemoryTracking=summary -XX:+UseG1GC -Xmx160m -Xlog:gc:file=gc.log "$GEN/java/h/CheckoutTimeouts.java" --http-file '{ADDR_FILE}' --rps 1500 --cart-bytes 2048 --timeout-min 10
}

# jvm-offheap: fixed pool of 128 worker threads (-Xss16m); deep recursive evaluation touches MiBs of a thread's stack, which stay resident.
case_h_ruleeval() {
  ./capture.sh h-ruleeval jvm_offheap $((640 * MiB)) 55s \
    "RuleEvalService.java (OpenJDK 17, source-file launch, G1, -Xmx128m -Xss16m, NMT summary): policy evaluation service; 128 worker threads started at boot (fixed, never replaced) evaluate 2000 policy documents/s with a recursive-descent evaluator, routed to a worker by tenant hash. Most documents nest 20-60 levels; 4 documents/s from one tenant nest 30000-60000 levels, and the recursion touches ~1.5-3 MiB of the worker's thread stack. Touched stack pages stay resident for the life of the thread, so as deep documents land on more of the 128 workers, resident thread stacks (native memory, NMT Thread committed) ratchet up while the Java heap, the thread count and classes stay flat. 640 MiB cgroup limit." \
    -kind java -jcmd-every 4s -- java -XX:NativeMemoryTracking=summary -XX:+UseG1GC -Xmx128m -Xss16m -Xlog:gc:file=gc.log "$GEN/java/h/RuleEvalService.java" --http-file '{ADDR_FILE}' --workers 128 --docs-per-sec 2000 --deep-per-sec 4 --deep-depth 60000
}

# cgroup-oom-kill: CPython functools.lru_cache(maxsize=None) memoizing normalization of nearly unique addresses; no runtime endpoint.
case_h_addrnorm() {
  ./capture.sh h-addrnorm cgroup_oom_kill $((256 * MiB)) 45s \
    "addr_normalize.py (CPython 3.11, no runtime endpoint, harness -kind proc): address normalization stage of a geocoding batch job; normalizes 4000 raw address records/s with a function decorated with functools.lru_cache(maxsize=None) 'because addresses repeat', but 95% of the addresses are unique (house numbers, apartments, c/o lines), so the unbounded memo cache keeps every raw string key and its result dict (token list, component dict, canonical string): ~1.5-2 KiB per call, several MiB/s, until the cgroup OOM killer kills python at the 256 MiB limit." \
    -kind proc -- /usr/bin/python3 "$GEN/py/h/addr_normalize.py" --rate 4000 --repeat-ratio 0.05
}

# kswapd-pressure: Node.js static asset server, random fs.readFile over 24000 small files (3x the limit), page cache recycled.
case_h_assetsrv() {
  local dir="$DATA/h-assets"
  rm -rf "$dir"
  node "$GEN/node/h/assetsrv.js" --mkfiles --dir "$dir" --files 24000 --kb 16
  python3 -c 'import os,sys
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        fd = os.open(os.path.join(root, f), os.O_RDONLY); os.fsync(fd); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)' "$dir"
  ./capture.sh h-assetsrv kswapd_pressure $((128 * MiB)) 45s \
    "assetsrv.js (Node.js 20, no runtime endpoint, harness -kind proc): static asset server storing one file per asset: 24000 files of 16 KiB in 100 directories (375 MiB, ~3x the limit; written outside the cgroup, fsync'd and dropped from the page cache). 8 concurrent request loops each read a uniformly random asset with fs.promises.readFile (page cache, no mmap) and compute its MD5 ETag, as fast as they can. The page cache fills the 128 MiB cgroup and is then continuously reclaimed and re-read (failcnt, workingset refaults, IO pressure), while the V8 heap and node's anonymous memory stay flat." \
    -kind proc -- node "$GEN/node/h/assetsrv.js" --dir "$dir" --files 24000 --concurrency 8
  rm -rf "$dir"
}

ALL=(h-idemstore h-upstreamgw h-snippetd h-zipstream h-memguard h-batchscore h-checkout h-ruleeval h-addrnorm h-assetsrv)
if [ $# -eq 0 ]; then set -- "${ALL[@]}"; fi
for c in "$@"; do
  fn="case_${c//-/_}"
  if ! declare -F "$fn" >/dev/null; then echo "unknown case $c (known: ${ALL[*]})" >&2; exit 2; fi
  "$fn"
done
