#!/usr/bin/env bash
# Helper f2's captures (FRESH held-out set: jvm-heap-leak, jvm-offheap,
# kswapd-pressure, cgroup-oom-kill, healthy x2). Each case runs through
# ./capture.sh (machine-wide lock, raw output in out/<case>); pack with
# ./pack.sh CASE CAUSE fresh "MECHANISM" afterwards. Data files are created
# here, OUTSIDE the test cgroup, fsync'd and dropped from the page cache
# (POSIX_FADV_DONTNEED) before the capture and removed after it.
# usage: ./cases-f2.sh case [case ...]
# build: Go: GOPATH=/tmp/workloads-gopath GOCACHE=/tmp/workloads-gocache GOFLAGS=-mod=mod GO111MODULE=on \
#          /usr/lib/go-1.19/bin/go build -o bin/f2-hookrelay ./cmd/f2-hookrelay
#        C:  gcc -O2 -Wall -pthread -o bin/f2-asnlookupd c/f2/asnlookupd.c
#        Java/Python: source launch (java/f2/*.java, py/f2/*.py)
set -euo pipefail
GEN="$(cd "$(dirname "$0")" && pwd)"
cd "$GEN"
BIN="$GEN/bin"
MiB=$((1 << 20))
DATA="${TMPDIR:-/tmp}"

# jvm-heap-leak: ThreadLocal<List<byte[]>> on a fixed render pool, appended per job, never cleared.
case_f2_docrender() {
  ./capture.sh f2-docrender jvm_heap_leak $((768 * MiB)) 55s \
    "DocRenderService.java (OpenJDK 17, source-file launch, G1, -Xmx384m, NMT summary): invoice renderer; a dispatcher submits 80 render jobs/s to a fixed pool of 4 render threads. Each job lays out 40 invoice lines (short-lived records and strings) and writes the encoded document into a 64 KiB output chunk taken from the render thread's ThreadLocal<List<byte[]>> of output chunks; a new chunk is appended for every job and the list is never cleared, so the 4 pool threads (which live forever) pin ~5 MiB/s of byte[] chunks. Heap after GC climbs steadily; threads, classes and NMT non-heap categories flat. 768 MiB cgroup limit." \
    -kind java -jcmd-every 4s -- java -XX:NativeMemoryTracking=summary -XX:+UseG1GC -Xmx384m -Xlog:gc:file=gc.log "$GEN/java/f2/DocRenderService.java" --http-file '{ADDR_FILE}' --jobs-per-sec 80 --threads 4 --chunk-kb 64 --lines 40
}

# jvm-offheap: sun.misc.Unsafe.allocateMemory frames, small ones coalesced into a batch frame and never freed.
case_f2_wirecodec() {
  ./capture.sh f2-wirecodec jvm_offheap $((512 * MiB)) 55s \
    "WireCodecGateway.java (OpenJDK 17, source-file launch, G1, -Xmx128m, NMT summary): order-entry gateway; decodes 3000 messages/s and encodes each into a native wire frame of 1-7 KiB allocated with sun.misc.Unsafe.allocateMemory (filled with setMemory/putByte). Frames of 4 KiB or more go straight to the engine-link writer thread, which frees them after writing; smaller frames are coalesced 8 at a time into a batch frame (copyMemory), and only the batch frame is freed, never the small source frames (~3.7 MiB/s of malloc'd memory lost). Java heap stays flat; NMT 'Other' (Unsafe allocations) and RSS climb. 512 MiB cgroup limit." \
    -kind java -jcmd-every 4s -- java -XX:NativeMemoryTracking=summary -XX:+UseG1GC -Xmx128m -Xlog:gc:file=gc.log "$GEN/java/f2/WireCodecGateway.java" --http-file '{ADDR_FILE}' --msgs-per-sec 3000 --min-bytes 1024 --max-bytes 7168 --coalesce-below 4096
}

# kswapd-pressure: CPython threads doing random os.pread of 4-16 KiB over 3x the limit of data files.
case_f2_tilepack() {
  local dir="$DATA/f2-tilepacks"
  rm -rf "$dir"
  python3 "$GEN/py/f2/tilepack_server.py" --mkpacks --dir "$dir" --packs 6 --pack-mb 64
  ./capture.sh f2-tilepack kswapd_pressure $((128 * MiB)) 45s \
    "tilepack_server.py (CPython 3.11): map tile server; 4 request threads read tiles of 4-16 KiB at random 4 KiB-aligned offsets of 6 tile pack files (384 MiB in total, 3x the limit) with os.pread through the page cache (no mmap) and CRC32 each tile, as fast as they can. The packs were written outside the cgroup, fsync'd and dropped from the page cache. The cgroup's page cache fills to the 128 MiB limit and is then continuously reclaimed and re-read (failcnt, workingset refaults, IO pressure) while the interpreter's anonymous memory stays ~10 MiB. No runtime endpoint (harness -kind proc)." \
    -kind proc -- /usr/bin/python3 "$GEN/py/f2/tilepack_server.py" --dir "$dir" --threads 4 --min-kb 4 --max-kb 16
  rm -rf "$dir"
}

# cgroup-oom-kill: Go webhook relay with per-endpoint delivery queues drained slower than filled; no runtime endpoint.
case_f2_hookrelay() {
  ./capture.sh f2-hookrelay cgroup_oom_kill $((256 * MiB)) 45s \
    "hookrelay (Go 1.19, plain binary, no debug endpoint, harness -kind proc): webhook relay; renders 4000 bus events/s into JSON deliveries (~1 KiB body plus a headers map) and appends them to 16 per-endpoint pending queues; each endpoint's sender drains only 50 deliveries/s (20 ms simulated subscriber latency), so ~3200 deliveries/s pile up (~8 MiB/s of RSS including GOGC=100 heap-goal headroom) until the 256 MiB cgroup limit is hit and the cgroup OOM killer kills hookrelay. Only cgroup, proc, host and dmesg data are captured." \
    -kind proc -- "$BIN/f2-hookrelay" -events-per-sec 4000 -endpoints 16 -send-latency 20ms -payload-bytes 900
}

# healthy: JVM G1 heap after GC saw-tooths 40-70% with a periodic batch load, no trend.
case_f2_exposure() {
  ./capture.sh f2-exposure healthy $((512 * MiB)) 55s \
    "ExposureService.java (OpenJDK 17, source-file launch, G1, -Xmx256m, NMT summary): counterparty exposure service; holds a 280000-entry counterparty limit table (~100 MiB live, loaded at start, read-only) and answers 6000 pre-trade limit checks/s on 2 threads (short-lived request garbage). Every 8 s it loads a positions snapshot (240000 Position records with 96-256-byte leg arrays, ~75 MiB), recomputes exposure per counterparty and drops the snapshot; G1 concurrent cycles and mixed GCs reclaim it, so heap after GC saw-tooths between ~40% and ~70% of the 256 MiB heap with no trend. Threads and NMT flat. 512 MiB cgroup limit." \
    -kind java -jcmd-every 4s -- java -XX:NativeMemoryTracking=summary -XX:+UseG1GC -Xmx256m -Xlog:gc:file=gc.log "$GEN/java/f2/ExposureService.java" --http-file '{ADDR_FILE}' --counterparties 280000 --positions 240000 --batch-every 8 --checks-per-sec 6000 --workers 2
}

# healthy: C service with a 60 MiB mmap'd read-only table in a 256 MiB limit; page cache stable after warm-up.
case_f2_asnlookup() {
  local f="$DATA/f2-asn-ranges.bin"
  rm -f "$f"
  "$BIN/f2-asnlookupd" --mkfile "$f" --mb 60
  ./capture.sh f2-asnlookup healthy $((256 * MiB)) 45s \
    "asnlookupd (C): IP-to-ASN lookup service; mmaps a read-only 60 MiB table of 16-byte range records (written outside the cgroup and dropped from the page cache) and answers 20000 lookups/s of random addresses on 2 threads by binary search over the mapping. The first seconds fault the table in (major faults, mapped file pages rise to ~60 MiB); afterwards the whole table stays resident in the 256 MiB cgroup: page cache flat, no refaults, no failcnt, anonymous memory tiny. No runtime endpoint (harness -kind proc)." \
    -kind proc -- "$BIN/f2-asnlookupd" --file "$f" --rate 20000 --threads 2
  rm -f "$f"
}

ALL=(f2-docrender f2-wirecodec f2-tilepack f2-hookrelay f2-exposure f2-asnlookup)
if [ $# -eq 0 ]; then set -- "${ALL[@]}"; fi
for c in "$@"; do
  case "$c" in
    f2-docrender) case_f2_docrender ;;
    f2-wirecodec) case_f2_wirecodec ;;
    f2-tilepack) case_f2_tilepack ;;
    f2-hookrelay) case_f2_hookrelay ;;
    f2-exposure) case_f2_exposure ;;
    f2-asnlookup) case_f2_asnlookup ;;
    *) echo "unknown case $c (known: ${ALL[*]})" >&2; exit 2 ;;
  esac
done
