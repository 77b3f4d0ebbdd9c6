#!/bin/sh
# Refresh the vendored axe-core (accessibility checks run by tests/browser/test_browser_axe.py)
# from the npm registry. It is a test tool: it lives under tests/ and is never served to users.
set -eu
VERSION="${AXE_VERSION:-4.14.1}"
DEST="$(dirname "$0")/../tests/browser/vendor/axe-core"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "axe-core@$VERSION" >/dev/null && tar xzf "axe-core-$VERSION.tgz")
mkdir -p "$DEST"
cp "$TMP/package/axe.min.js" "$TMP/package/LICENSE" "$TMP/package/LICENSE-3RD-PARTY.txt" "$DEST/"
printf 'axe-core %s (MPL-2.0), from the npm registry by tools/vendor_axe.sh\n' "$VERSION" > "$DEST/VERSION"
