#!/usr/bin/env bash
# Packs memtriage as npm would publish it, installs the tarball into an empty folder without dev
# dependencies, and runs `memtriage diagnose` from there on a bundle of this repository: the package
# must carry everything the CLI needs at run time (built JavaScript, rules, templates) and nothing
# from devDependencies may be needed.
# Install scripts are skipped and better-sqlite3's native build is copied from ./node_modules (built
# by `npm ci` for this same Node): these machines reach the npm registry but not GitHub, where its
# prebuilt binaries live, and compiling SQLite again would only re-test node-gyp.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="$root/.tmp/pack-install"
rm -rf "$work" && mkdir -p "$work/pkg" "$work/app"

tarball=$(npm pack --silent --pack-destination "$work/pkg" | tail -1)
entries=$(tar -tzf "$work/pkg/$tarball" | wc -l)
echo "packed $tarball: $entries entries"

cd "$work/app"
echo '{"name":"pack-install-check","private":true}' > package.json
npm install --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline "$work/pkg/$tarball" >/dev/null
mkdir -p node_modules/better-sqlite3/build
cp -r "$root/node_modules/better-sqlite3/build/Release" node_modules/better-sqlite3/build/
for dev in typescript tsx vitest eslint playwright-core; do
  if [ -e "node_modules/$dev" ]; then echo "a dev dependency was installed: $dev" >&2; exit 1; fi
done
out=$(./node_modules/.bin/memtriage diagnose "$root/examples/incidents/pub-map-leak" --format text)
echo "$out" | head -3
echo "$out" | grep -q "a map grows without bound" || { echo "diagnose did not name the map leak" >&2; exit 1; }
./node_modules/.bin/memtriage rules validate >/dev/null
echo "pack-install: ok"
