#!/usr/bin/env bash
# Runs one capture under bin/harness while holding a machine-wide lock, so that captures never
# overlap (they measure CPU and memory; two at once would distort both).
# usage: ./capture.sh CASE LABEL LIMIT_BYTES DURATION "DESC" [harness flags...] -- workload argv...
# env:   OUT_DIR=DIR   raw captures go to DIR/<case> (default: out/)
set -euo pipefail
GEN="$(cd "$(dirname "$0")" && pwd)"
name=$1 label=$2 limit=$3 dur=$4 desc=$5
shift 5
out="${OUT_DIR:-$GEN/out}"
mkdir -p "$out"
rm -rf "${out:?}/$name"
exec 9>/tmp/memtriage-capture.lock
flock 9
"$GEN/bin/harness" -go "${GO:-/usr/lib/go-1.19/bin/go}" -case "$name" -out "$out/$name" -label "$label" -limit "$limit" \
  -duration "$dur" -desc "$desc" -regen "corpus/gen/capture.sh $name" "$@"
