#!/bin/sh
# Refresh the vendored front-end bundle from the npm registry (dev time only; the service
# never needs node). Versions are pinned in tools/vendor/package.json and package-lock.json.
#   make vendor     (or: sh tools/build_vendor.sh)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$root/src/jichitai_kg/static/vendor/codemirror"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/vendor/package.json" "$here/vendor/package-lock.json" "$here/vendor/editor-entry.js" "$work/"
# npm ci installs exactly the lock file's versions (transitive dependencies included).
(cd "$work" && npm ci --no-audit --no-fund --silent)
mkdir -p "$out"
"$work/node_modules/.bin/esbuild" "$work/editor-entry.js" --bundle --format=esm --minify \
  --legal-comments=none --outfile="$out/codemirror.js"
# Licences of everything in the bundle (all MIT).
: > "$out/LICENSES.txt"
for pkg in codemirror @codemirror/autocomplete @codemirror/commands @codemirror/language \
           @codemirror/legacy-modes @codemirror/lint @codemirror/search @codemirror/state \
           @codemirror/view @lezer/common @lezer/highlight @lezer/lr @marijn/find-cluster-break \
           crelt style-mod w3c-keyname; do
  dir="$work/node_modules/$pkg"
  version=$(node -p "require('$dir/package.json').version")
  printf '==== %s %s ====\n' "$pkg" "$version" >> "$out/LICENSES.txt"
  cat "$dir"/LICENSE* >> "$out/LICENSES.txt"
  printf '\n' >> "$out/LICENSES.txt"
done
echo "wrote $out/codemirror.js"
