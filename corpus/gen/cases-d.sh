#!/usr/bin/env bash
# Helper d's captures (kswapd_pressure, cgroup_oom_kill, healthy). Each case
# runs through ./capture.sh (machine-wide lock, raw output in out/<case>);
# pack with ./pack.sh afterwards. Data files for the reclaim cases are created
# here, OUTSIDE the test cgroup, fsync'd and dropped from the page cache
# (POSIX_FADV_DONTNEED) before the capture and removed after it.
# usage: ./cases-d.sh case [case ...]
# build: Go: GOPATH=/tmp/workloads-gopath GOCACHE=/tmp/workloads-gocache GOFLAGS=-mod=mod GO111MODULE=on \
#          /usr/lib/go-1.19/bin/go build -o bin/NAME ./cmd/NAME   (blobd rollupd postingsrv)
#        C:  gcc -O2 -Wall -o bin/NAME c/NAME.c                  (sesstab telemingest logcompact)
set -euo pipefail
GEN="$(cd "$(dirname "$0")" && pwd)"
cd "$GEN"
BIN="$GEN/bin"
MiB=$((1 << 20))
DATA="${TMPDIR:-/tmp}"

# kswapd_pressure (evaluation): page-cache refault thrash through pread(2), no mmap.
case_blobd_ranges() {
  local dir="$DATA/blobd-packs"
  rm -rf "$dir"
  "$BIN/blobd" -mkfiles -dir "$dir" -packs 8 -pack-mb 50
  ./capture.sh blobd-ranges kswapd_pressure $((128 * MiB)) 45s \
    "blobd: blob range server; 4 goroutines answer range requests of 4-64 KiB at uniformly random offsets of 8 pack files (400 MiB total) with pread(2) through the page cache (no mmap) and CRC32-check each range, as fast as they can, under a 128 MiB cgroup limit. The pack files were written outside the cgroup and dropped from the page cache. The file working set is 3x the limit, so the cgroup keeps reclaiming its own page cache and re-reading it (workingset_refault_file, failcnt, IO pressure) while the Go heap stays tiny." \
    -env GODEBUG=gctrace=1 -- "$BIN/blobd" -dir "$dir" -workers 4 -min-range-kb 4 -max-range-kb 64 -http-file '{ADDR_FILE}'
  rm -rf "$dir"
}

# kswapd_pressure (tuning): repeated sequential scans over mmap'd column files larger than the limit.
case_rollupd_colscan() {
  local dir="$DATA/rollupd-table"
  rm -rf "$dir"
  "$BIN/rollupd" -mkfiles -dir "$dir" -columns 6 -column-mb 50
  ./capture.sh rollupd-colscan kswapd_pressure $((128 * MiB)) 45s \
    "rollupd: analytics rollup job; re-scans 6 mmap'd int64 column files (300 MiB, MADV_SEQUENTIAL) front to back in a loop (sum/min/max/histogram per column), one pass after another, under a 128 MiB cgroup limit. Each pass needs the whole 300 MiB of mapped file pages, so every pass faults the columns in again (read-around major faults) while the cgroup reclaims the previous pages; Go heap tiny." \
    -env GODEBUG=gctrace=1 -- "$BIN/rollupd" -dir "$dir" -madvise sequential -http-file '{ADDR_FILE}'
  rm -rf "$dir"
}

# kswapd_pressure (evaluation): anonymous swap-in thrash. A 1 GiB swap file is
# enabled only while this capture holds the capture lock (swapon once the
# workload is running, swapoff + rm as soon as the capture ends), so no other
# capture ever runs with swap.
case_sesstab_swap() {
  local swf=/var/tmp/memtriage-d.swap
  rm -f "$swf"
  fallocate -l 1G "$swf"; chmod 600 "$swf"; mkswap "$swf" >/dev/null
  cleanup_swap() { swapoff "$swf" 2>/dev/null || true; rm -f "$swf"; }
  trap cleanup_swap EXIT
  ./capture.sh sesstab-swap kswapd_pressure $((128 * MiB)) 45s \
    "sesstab (C): in-memory session store; allocates and initialises 400000 512-byte session records (195 MiB of anonymous memory) at start, then touches sessions uniformly at random as fast as it can (read token, write last-seen and hit counter). 128 MiB cgroup limit, swap enabled on the host (1 GiB swap file, cgroup swappiness 60, no memsw limit), so the cgroup swaps out a third of the table and every touch of a swapped page is a major fault / swap-in (workingset_refault_anon, pswpin/pswpout, memory.stat swap)." \
    -kind proc -- "$BIN/sesstab" --sessions 400000 &
  local cap=$!
  # turn swap on as soon as the workload is running (the capture lock is then held by us)
  while kill -0 "$cap" 2>/dev/null; do
    if pgrep -x sesstab >/dev/null; then swapon "$swf"; echo "swap on"; break; fi
    sleep 0.05
  done
  wait "$cap"
  cleanup_swap
  trap - EXIT
}

# kswapd_pressure (tuning): mixed anon + file pressure; a flat 112 MiB in-memory
# table (70% of the limit) leaves too little room for the postings working set.
case_postingsrv_mixed() {
  local dir="$DATA/postingsrv-index"
  rm -rf "$dir"
  "$BIN/postingsrv" -mkfiles -dir "$dir" -segments 4 -segment-mb 64
  ./capture.sh postingsrv-mixed kswapd_pressure $((160 * MiB)) 45s \
    "postingsrv: term-query server; builds a 7.3M-entry term table (112 MiB, 16-byte entries, live for the whole run, ~70% of the limit) at start, then 3 query goroutines read each query's postings list (4-16 KiB at a random offset of 4 segment files, 256 MiB) with pread(2) through the page cache, as fast as they can. 160 MiB cgroup limit, no swap: the anonymous table cannot be reclaimed, so the ~40 MiB left for page cache is recycled continuously (refaults, failcnt, IO pressure)." \
    -env GODEBUG=gctrace=1 -- "$BIN/postingsrv" -dir "$dir" -terms 7340032 -queriers 3 -http-file '{ADDR_FILE}'
  rm -rf "$dir"
}

# cgroup_oom_kill (evaluation): C ingest buffer grows (malloc+fill) until the cgroup OOM killer kills it.
case_telemingest_oom() {
  ./capture.sh telemingest-oom cgroup_oom_kill $((192 * MiB)) 45s \
    "telemingest (C): telemetry ingest; appends every incoming 256 KiB batch (malloc'd and filled) to an in-memory ingest buffer that is only flushed when the upstream end-of-window marker arrives (100000 batches, never within the run). 32 batches/s = 8 MiB/s of anonymous memory growth until the 192 MiB cgroup limit is hit and the cgroup OOM killer kills telemingest (~22 s)." \
    -kind proc -- "$BIN/telemingest" --batch-kb 256 --batches-per-sec 32 --window-batches 100000
}

# cgroup_oom_kill (tuning): Node.js accumulates session objects until the cgroup OOM-kills node (V8 limit set far above the cgroup limit).
case_node_sessionizer_oom() {
  ./capture.sh node-sessionizer-oom cgroup_oom_kill $((256 * MiB)) 60s \
    "sessionizer.js (Node.js 20, --max-old-space-size=2048): clickstream sessionizer; 14000 events/s, each event object pushed onto its visitor's session in a Map that keeps every session of the day (closed sessions are only emitted at end of day). The V8 heap limit (2 GiB) is far above the 256 MiB cgroup limit, so V8 keeps growing the old space instead of failing with a heap OOM, and the kernel's cgroup OOM killer kills node." \
    -kind proc -- /usr/bin/node --max-old-space-size=2048 "$GEN/node/sessionizer.js" --events-per-sec 14000
}

# cgroup_oom_kill (evaluation): supervisor shell restarts the child after each OOM kill (memory drops and climbs again).
case_reportgen_restart() {
  ./capture.sh reportgen-restart cgroup_oom_kill $((160 * MiB)) 60s \
    "sh supervisor loop (container entrypoint style: while true; run python3 reportgen.py; on exit log and restart after 1 s) around reportgen.py (CPython 3.11), which materialises every invoice line of the month as a dict (20000 lines/s, ~8 MiB/s) before sorting. The child hits the 160 MiB cgroup limit after ~18 s, is killed by the cgroup OOM killer, restarted by the shell, and climbs again: cgroup usage saw-tooths with repeated OOM kills while the supervised shell (the captured pid) stays alive." \
    -kind proc -- /bin/sh -c 'trap "kill \$child 2>/dev/null; exit 0" TERM; while :; do /usr/bin/python3 "$0/py/reportgen.py" --lines-per-sec 20000 --month 2026-02 & child=$!; wait $child; echo "reportgen exited with status $?; restarting in 1s" >&2; sleep 1; done' "$GEN"
}

# cgroup_oom_kill (tuning): pre-fork server, workers together exceed the limit; one worker is OOM-killed and re-forked.
case_render_pool_prefork() {
  ./capture.sh render-pool-prefork cgroup_oom_kill $((192 * MiB)) 45s \
    "render_pool.py (CPython 3.11): pre-fork page renderer; the master forks 4 workers (and re-forks any that dies); each worker renders 400 pages/s and keeps rendered fragments in its own LRU bounded to 56 MiB. Every per-worker cache bound is sane on its own, but 4 workers x (56 MiB + interpreter) exceed the 192 MiB cgroup limit: after ~14 s the cgroup OOM killer kills one worker (the largest process in the cgroup), the master logs it and forks a replacement. Several processes in the cgroup; the captured pid is the master." \
    -kind proc -- /usr/bin/python3 "$GEN/py/render_pool.py" --workers 4 --rps 400 --cache-mb 56
}

# healthy (tuning): one sequential pass through 600 MiB of files under a 128 MiB limit; page cache fills the cgroup, nothing refaults.
case_logcompact_stream() {
  local dir="$DATA/logcompact-rotated" out="$DATA/logcompact-errors.compact"
  rm -rf "$dir" "$out"; mkdir -p "$dir"
  "$BIN/logcompact" --mkfiles 6 --file-mb 100 --in "$dir"
  ./capture.sh logcompact-stream healthy $((128 * MiB)) 45s \
    "logcompact (C): compacts rotated access logs; reads 6 files of 100 MiB (600 MiB, written outside the cgroup and dropped from the page cache) exactly once, front to back, with 1 MiB read(2) calls rate-limited to 14 MiB/s, and appends the 5xx lines (~6%) to an output file. Under the 128 MiB limit the page cache fills the cgroup after ~9 s and stays at the limit (failcnt climbs as old, never-reused pages are reclaimed), but nothing is read twice, so nothing refaults; anonymous memory is ~2 MiB." \
    -kind proc -- "$BIN/logcompact" --in "$dir" --out "$out" --max-mib-per-sec 14
  rm -rf "$dir" "$out"
}

# healthy (evaluation): periodic batch that allocates ~60% of the limit, frees it and sleeps (saw-tooth, no trend).
case_nightly_rollup() {
  ./capture.sh nightly-rollup healthy $((256 * MiB)) 60s \
    "nightly_rollup.py (CPython 3.11): periodic aggregation job; every 8 s it loads 500000 order rows as tuples (~150 MiB peak with the top-100 ranking, ~60% of the limit), aggregates revenue per region/product family, prints the rollup, drops the batch (gc.collect) and sleeps until the next period. RSS saw-tooths between ~20 MiB and ~150 MiB under the 256 MiB cgroup limit with no upward trend and no OOM." \
    -kind proc -- /usr/bin/python3 "$GEN/py/nightly_rollup.py" --batch-rows 500000 --period 8
}

ALL=(blobd-ranges rollupd-colscan sesstab-swap postingsrv-mixed telemingest-oom node-sessionizer-oom reportgen-restart render-pool-prefork logcompact-stream nightly-rollup)
if [ $# -eq 0 ]; then echo "usage: $0 case... (known: ${ALL[*]})" >&2; exit 2; fi
for c in "$@"; do
  case "$c" in
    blobd-ranges) case_blobd_ranges ;;
    rollupd-colscan) case_rollupd_colscan ;;
    sesstab-swap) case_sesstab_swap ;;
    postingsrv-mixed) case_postingsrv_mixed ;;
    telemingest-oom) case_telemingest_oom ;;
    node-sessionizer-oom) case_node_sessionizer_oom ;;
    reportgen-restart) case_reportgen_restart ;;
    render-pool-prefork) case_render_pool_prefork ;;
    logcompact-stream) case_logcompact_stream ;;
    nightly-rollup) case_nightly_rollup ;;
    *) echo "unknown case $c (known: ${ALL[*]})" >&2; exit 2 ;;
  esac
done
