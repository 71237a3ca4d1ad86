#!/usr/bin/env bash
# Regenerates docs/screenshots/D0386.png and index.png: the sample RVU26A catalog's preview site,
# rendered by headless Chromium (Debian's `chromium` package).
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
swift build --product rvuimport
bin="$(swift build --show-bin-path)/rvuimport"
"$bin" --release RVU26A --source Samples/releases --curated Samples/curated --output "$work/RVU26A.sqlite" >/dev/null
"$bin" pages --catalog "$work/RVU26A.sqlite" --output "$work/site"
mkdir -p docs/screenshots
for page in codes/D0386 index; do
  timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=900,1400 \
    --screenshot="docs/screenshots/$(basename "$page").png" "file://$work/site/$page.html"
done
