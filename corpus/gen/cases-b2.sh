#!/usr/bin/env bash
# Helper b2's captures: go-heap-fragmentation (4 cases) and go-native-leak (4 cases).
# Same style as run.sh, but every capture goes through ./capture.sh (machine-wide lock).
# Build (one at a time, cgo on for the native cases):
#   for c in sessvault feedindexer clickagg reconciler thumbd edgeauth vecindex tunneld; do
#     CGO_ENABLED=1 GOPATH=/tmp/workloads-gopath GOCACHE=/tmp/workloads-gocache GOFLAGS=-mod=mod GO111MODULE=on \
#       /usr/lib/go-1.19/bin/go build -o bin/$c ./cmd/$c; done
# usage: ./cases-b2.sh case ...
set -euo pipefail
GEN="$(cd "$(dirname "$0")" && pwd)"
BIN="$GEN/bin"
MiB=$((1 << 20))
cd "$GEN"

# fragmentation: mid-size objects (512 B-4 KiB) restored into a session map, then ~85% expired at
# random by an idle-timeout sweep; survivors scattered over the spans of ~20 size classes; steady
# lookups + logins afterwards keep the session count (live heap) flat.
case_sessvault() {
  ./capture.sh b2-sessvault go-heap-fragmentation $((512 * MiB)) 45s \
    "sessvault: in-memory web session store. Restores 300 MiB of sessions (attribute blobs 512 B-4 KiB, uniformly) from a snapshot, at t=8 s the idle-timeout sweep expires the ~85% whose (random) last access is older than the cutoff, then serves 3000 lookups/s (short-lived responses up to 2 KiB); 1 request in 20 is a login that replaces a random session, so the session count stays flat. GOMEMLIMIT=400MiB (80% of the 512 MiB container), which triggers the first GC after the sweep. Survivors are scattered over the spans of all mid-size classes: HeapAlloc drops to ~15% while HeapInuse stays high." \
    -env GODEBUG=gctrace=1 -env GOMEMLIMIT=400MiB -- "$BIN/sessvault" -snapshot-mb 300 -min-blob 512 -max-blob 4096 -sweep-after 8s -expire-share 0.85 -rps 3000 -login-every 20 -response-bytes 2048 -http-file '{ADDR_FILE}'
}

# fragmentation (idle heap not returned): big staging set freed after a bulk load; the scavenger
# releases the idle pages with MADV_FREE (GODEBUG madvdontneed=0), so HeapReleased grows but the
# pages stay resident (LazyFree) while there is no memory pressure: RSS stays near the peak.
case_feedindexer() {
  ./capture.sh b2-feedindexer go-heap-fragmentation $((1024 * MiB)) 45s \
    "feedindexer: product search index. Decodes a 220000-offer merchant feed into staging records (1.4 KiB descriptions, attribute maps; ~450 MiB), builds a compact index (~40 MiB) from it, drops the staging set and runs runtime.GC(), then serves 2000 lookups/s. GODEBUG madvdontneed=0: the runtime returns idle pages with MADV_FREE, which the kernel reclaims only under memory pressure (none here: 1 GiB limit), so RSS and cgroup usage stay near the load peak while the live heap is ~10% of it." \
    -env GODEBUG=gctrace=1,madvdontneed=0 -- "$BIN/feedindexer" -offers 220000 -description-bytes 1400 -attributes 6 -lookups-per-sec 2000 -http-file '{ADDR_FILE}'
}

# fragmentation: each batch decodes 600k 64-byte event records (all live at once), keeps ~1 in 80
# in a bounded ring (50k); the kept records sit in the same size class as the dropped ones, so
# after a few batches nearly every 64-B span holds a survivor. Query traffic between batches
# triggers GCs while the batch is dead: HeapInuse >> HeapAlloc, live heap flat.
case_clickagg() {
  ./capture.sh b2-clickagg go-heap-fragmentation $((384 * MiB)) 45s \
    "clickagg: clickstream ingester. Every 6 s it decodes a batch of 600000 events into 64-byte records (the whole batch is held while it is sorted by session), aggregates them, keeps the anomalous ones (~1 in 80: 5xx or >2 s) in a bounded ring of 50000 for /recent-errors and drops the batch; between batches it serves 4000 queries/s (responses up to 3 KiB). The ring entries are interleaved with the batch's short-lived records in the same size class, so each batch leaves nearly every span of that class pinned by a few survivors." \
    -env GODEBUG=gctrace=1 -- "$BIN/clickagg" -batch-events 600000 -batch-every 6s -recent-errors 50000 -anomaly-one-in 80 -query-rps 4000 -response-bytes 3072 -http-file '{ADDR_FILE}'
}

# fragmentation (idle heap not returned): a batch peaks at ~450 MiB live, keeps ~40 MiB and runs
# runtime.GC(). Tuned for batch throughput with GOGC=off + GOMEMLIMIT=640MiB: the heap goal and the
# scavenger's retention goal both follow the memory limit (scavenger keeps up to 95% of it), so
# the freed pages stay as HeapIdle and are not released: HeapReleased ~0, RSS stays at the peak.
case_reconciler() {
  ./capture.sh b2-reconciler go-heap-fragmentation $((768 * MiB)) 45s \
    "reconciler: ledger reconciliation job. After 2 s it loads 750000 bank and 750000 ledger entries (~450 MiB of maps, structs, ids and memos), matches them into a 400000-account summary plus the ~1-in-20 unmatched entries (copied; ~40 MiB live), drops the working set and calls runtime.GC(), then serves 500 report queries/s. Run with GOGC=off and GOMEMLIMIT=640MiB (batch-throughput tuning): the collector and the background scavenger both pace against the memory limit, so the freed working set stays in the heap as idle, unreleased pages and RSS stays near the peak while the live heap is ~10% of it." \
    -env GODEBUG=gctrace=1 -env GOGC=off -env GOMEMLIMIT=640MiB -- "$BIN/reconciler" -entries 750000 -memo-bytes 96 -accounts 400000 -unmatched-one-in 20 -query-rps 500 -start-delay 2s -http-file '{ADDR_FILE}'
}

# native leak: the C encoder returns a malloc'd buffer per thumbnail; Go copies it out with
# C.GoBytes and never C.free()s it. Go heap flat, RSS/cgroup usage climb ~4-5 MiB/s.
case_thumbd() {
  ./capture.sh b2-thumbd go-native-leak $((384 * MiB)) 45s \
    "thumbd: thumbnail service (cgo). 80 jobs/s on 4 workers: each decodes a 640x480 source image in Go (short-lived 900 KiB buffer), calls the C resampler/encoder thumb_encode, which returns the encoded thumbnail in a malloc'd buffer (27-90 KiB); the Go side copies it with C.GoBytes into a 256-entry response cache and never calls C.free on the C buffer. ~4.5 MiB/s of malloc'd memory accumulates outside the Go heap." \
    -env GODEBUG=gctrace=1 -- "$BIN/thumbd" -jobs-per-sec 80 -workers 4 -src-width 640 -src-height 480 -sizes 96x96,160x120,200x150 -cache-entries 256 -http-file '{ADDR_FILE}'
}

# native leak (OOM): 4 C.CString conversions per request passed to a C digest function, never
# C.free()d; 25000 req/s of small strings (~280 B malloc'd per request) -> cgroup OOM kill.
case_edgeauth() {
  ./capture.sh b2-edgeauth go-native-leak $((256 * MiB)) 60s \
    "edgeauth: request-signature check at the edge (cgo). A built-in generator feeds 25000 requests/s to 4 workers; each converts method, host, canonical path+query (50-330 B) and key id with C.CString and passes them to the C digest function sig_digest; the C strings are never freed (~280 B of malloc per request, ~7 MiB/s). The Go heap stays small while RSS climbs to the 256 MiB cgroup limit and the OOM killer ends the process." \
    -env GODEBUG=gctrace=1 -- "$BIN/edgeauth" -rps 25000 -workers 4 -max-query-bytes 320 -tenants 500 -http-file '{ADDR_FILE}'
}

# native leak: anonymous syscall.Mmap per frozen index segment (4 MiB), filled (resident);
# retention drops old segments from the Go list without Munmap. Go heap flat, mappings pile up.
case_vecindex() {
  ./capture.sh b2-vecindex go-native-leak $((512 * MiB)) 45s \
    "vecindex: in-memory vector index (256-dim float32). 8192 vectors/s are buffered in a Go memtable; every 4096 vectors it is frozen into a segment whose vectors are copied into an anonymous syscall.Mmap region (4 MiB, written so it is resident); 50 queries/s scan the segments. Retention keeps 6 segments in the list, dropping older ones without syscall.Munmap, so ~8 MiB/s of anonymous mappings accumulate outside the Go heap (Go heap and MemStats.Sys flat)." \
    -env GODEBUG=gctrace=1 -- "$BIN/vecindex" -dim 256 -segment-vectors 4096 -vectors-per-sec 8192 -retain-segments 6 -queries-per-sec 50 -http-file '{ADDR_FILE}'
}

# native leak (slow): per-connection C session context (calloc'd struct + rx/tx buffers, ~29 KiB)
# registered in a C-side linked list; close only marks it, nothing ever unlinks/frees it.
case_tunneld() {
  ./capture.sh b2-tunneld go-native-leak $((256 * MiB)) 75s \
    "tunneld: tunnel front (cgo record-layer library). A built-in client opens 60 short-lived loopback TCP connections/s (64-byte hello, 4 x 512-byte records). Each accepted connection gets a C session context from tl_session_new (calloc'd 4.4 KiB struct + 16 KiB rx and 8 KiB tx buffers, filled during the handshake) linked into the library's global session list; on close Go calls tl_session_close, which only marks it closed, and nothing reaps the list. ~1.7 MiB/s of C memory accumulates; goroutines and Go heap stay flat." \
    -env GODEBUG=gctrace=1 -- "$BIN/tunneld" -conns-per-sec 60 -records 4 -rx-buffer 16384 -tx-buffer 8192 -http-file '{ADDR_FILE}'
}

ALL=(b2-sessvault b2-feedindexer b2-clickagg b2-reconciler b2-thumbd b2-edgeauth b2-vecindex b2-tunneld)
if [ $# -eq 0 ]; then set -- "${ALL[@]}"; fi
for c in "$@"; do
  case "$c" in
    b2-sessvault) case_sessvault ;;
    b2-feedindexer) case_feedindexer ;;
    b2-clickagg) case_clickagg ;;
    b2-reconciler) case_reconciler ;;
    b2-thumbd) case_thumbd ;;
    b2-edgeauth) case_edgeauth ;;
    b2-vecindex) case_vecindex ;;
    b2-tunneld) case_tunneld ;;
    *) echo "unknown case $c (known: ${ALL[*]})" >&2; exit 2 ;;
  esac
done
