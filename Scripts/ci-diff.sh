#!/usr/bin/env bash
# Diffs a new catalog against the one in production for CI: writes diff.md (a pull-request
# comment), diff.json (every change) and diff.txt to OUT_DIR, and exits with the gate's status.
#
#   Scripts/ci-diff.sh OLD.sqlite NEW.sqlite [OUT_DIR] [--fail-on RULE ...]
#
# Exit status (the gate's): 0 the gate passed (identical or different), 2 a catalog could not be
# read, 3 a gate rule failed. Default rules: removed-curated, deleted-curated, payment-change:20.
# Set RVUIMPORT to the rvuimport binary to use (default: swift run -c release rvuimport).
set -euo pipefail
if (($# < 2)); then
  echo "usage: $0 OLD.sqlite NEW.sqlite [OUT_DIR] [--fail-on RULE ...]" >&2
  exit 64
fi
old=$(realpath -m "$1") new=$(realpath -m "$2")
shift 2
out=$(realpath -m diff-report)
if (($#)) && [[ $1 != --* ]]; then out=$(realpath -m "$1"); shift; fi
rules=("$@")
if ((${#rules[@]} == 0)); then
  rules=(--fail-on removed-curated --fail-on deleted-curated --fail-on payment-change:20)
fi
cd "$(dirname "$0")/.."
if [[ -n "${RVUIMPORT:-}" ]]; then
  tool=("$RVUIMPORT")
else
  swift build -c release --product rvuimport >&2
  tool=("$(swift build -c release --show-bin-path)/rvuimport")
fi
mkdir -p "$out"
status=0
"${tool[@]}" diff "$old" "$new" --format json "${rules[@]}" >"$out/diff.json" || status=$?
if ((status == 2)); then
  echo "ci-diff: a catalog could not be read" >&2
  exit 2
fi
"${tool[@]}" diff "$old" "$new" --format markdown "${rules[@]}" >"$out/diff.md" 2>/dev/null || true
"${tool[@]}" diff "$old" "$new" --format text "${rules[@]}" >"$out/diff.txt" 2>/dev/null || true
case $status in
  0) echo "ci-diff: the catalogs hold the same data" ;;
  1) echo "ci-diff: the catalogs differ; the gate passed (report in $out/)"; status=0 ;;
  3) echo "ci-diff: the gate failed (reasons in $out/diff.md)" >&2 ;;
  *) echo "ci-diff: rvuimport diff exited $status" >&2 ;;
esac
exit "$status"
