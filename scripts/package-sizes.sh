#!/usr/bin/env bash
# What a host installs: each package's packed tarball installed with npm into an empty app outside
# the workspace (peer dependencies included, as npm installs them), measured on disk.
#   scripts/package-sizes.sh            packs the built workspace packages (run `pnpm build` first)
#   scripts/package-sizes.sh DIR        uses the tarballs already in DIR (doitong-<name>-<version>.tgz)
set -euo pipefail
cd "$(dirname "$0")/.."

packs=${1:-}
if [ -z "$packs" ]; then
  packs=$(mktemp -d)
  for name in core adapters sandbox; do
    (cd "packages/$name" && npx --yes pnpm@10 pack --pack-destination "$packs" >/dev/null)
  done
fi
packs=$(cd "$packs" && pwd)

tarball() { ls "$packs"/doitong-"$1"-*.tgz 2>/dev/null | head -1; }

# measure LABEL PACKAGE...: installs the named packages' tarballs (the others they need come from
# the same folder through overrides, never from the registry) and prints size and package count.
measure() {
  local label=$1; shift
  local app overrides="" dependencies="" name file
  app=$(mktemp -d)
  for name in core adapters sandbox; do
    file=$(tarball "$name") || true
    [ -n "$file" ] && overrides+="\"@doitong/$name\": \"file:$file\","
  done
  for name in "$@"; do
    file=$(tarball "$name")
    [ -n "$file" ] || { echo "no tarball for @doitong/$name in $packs" >&2; return 1; }
    dependencies+="\"@doitong/$name\": \"file:$file\","
  done
  cat >"$app/package.json" <<JSON
{ "name": "size-check", "private": true, "dependencies": { ${dependencies%,} }, "overrides": { ${overrides%,} } }
JSON
  (cd "$app" && npm install --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
  local bytes count
  bytes=$(du -sb "$app/node_modules" | cut -f1)
  count=$(find "$app/node_modules" -name package.json | grep -cE '/node_modules/(@[^/]+/)?[^/@.][^/]*/package\.json$')
  printf '%-34s %6.1f MB  %4d packages\n' "$label" "$(echo "$bytes / 1000000" | bc -l)" "$count"
  rm -rf "$app"
}

measure '@doitong/core' core
measure '@doitong/adapters (liveProviders)' adapters
if [ -n "$(tarball sandbox)" ]; then measure '@doitong/sandbox' sandbox; fi
