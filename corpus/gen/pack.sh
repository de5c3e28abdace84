#!/usr/bin/env bash
# Converts one raw capture (out/<case>, written by bin/harness) into the bundle layout with
# to_bundle.py and stores it in the corpus as <half>/<case>.tar.gz, recording its label in
# <half>/labels.json: { "<case>": { "cause": …, "mechanism": … } }.
#
# usage: ./pack.sh CASE CAUSE tuning|evaluation|fresh|fresh2|fresh3|fresh4 "MECHANISM (one line: what differs from the other cases of this cause)"
# env:   OUT_DIR=DIR   where the raw capture is (default: out/)
set -euo pipefail
GEN="$(cd "$(dirname "$0")" && pwd)"
name=$1 cause=${2//_/-} half=$3 mechanism=$4
case "$half" in tuning|evaluation|fresh|fresh2|fresh3|fresh4) ;; *) echo "half must be tuning, evaluation, fresh, fresh2, fresh3 or fresh4" >&2; exit 2 ;; esac
raw="${OUT_DIR:-$GEN/out}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
RECORD_ENV=1 python3 "$GEN/to_bundle.py" --cases "$raw" --out "$stage" --expected "$stage/expected.json" "$name" >/dev/null
dest="$GEN/../$half"
mkdir -p "$dest"
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -czf "$dest/$name.tar.gz" "$name"
(
  flock 9
  python3 - "$dest/labels.json" "$name" "$cause" "$mechanism" <<'PY'
import json, os, sys
path, name, cause, mechanism = sys.argv[1:]
labels = json.load(open(path)) if os.path.exists(path) else {}
labels[name] = {"cause": cause, "mechanism": mechanism}
open(path, "w").write(json.dumps(labels, indent=2, sort_keys=True) + "\n")
PY
) 9>"$dest/.labels.lock"
echo "$dest/$name.tar.gz $(du -h "$dest/$name.tar.gz" | cut -f1)"
