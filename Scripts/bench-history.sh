#!/usr/bin/env bash
# Times `history build` of a decade of quarterly catalogs and `history add` of one release, of a
# fourth quarter (RVU25D) and of a January release (RVU25A, whose new conversion factor changes
# every priced row) (release build; figures in docs/performance.md).
#
#   Scripts/bench-history.sh [RUNS]     (default 5 runs of each, alternating)
#
# Setup, not timed: writes the series RVU16A..RVU25D plus the correction RVU24AR with
# `rvusamples --series 40` into .build/history-bench/archives and imports each archive into
# .build/history-bench/catalogs (a catalog newer than its archive is kept). Then, RUNS times:
# `history build` of every catalog, `history add` of RVU25D to a history of the others, and
# `history add` of RVU25A to a history of the releases before it (each copied fresh before the
# add); each added history must be the built one, byte for byte. Prints each run, then the
# median, minimum and maximum.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
work=.build/history-bench
mkdir -p "$work/archives" "$work/catalogs" "$work/curated" "$work/out"

swift build -c release --product rvusamples >&2
swift build -c release --product rvuimport >&2
bin=.build/release

"$bin/rvusamples" --series 40 --output "$work/archives" >"$work/out/rvusamples.log"
for archive in "$work"/archives/RVU*.zip; do
  id="$(basename "$archive" .zip)"
  catalog="$work/catalogs/$id.sqlite"
  if [[ ! "$catalog" -nt "$archive" ]]; then
    "$bin/rvuimport" --release "$id" --source "$archive" --curated "$work/curated" --output "$catalog" \
      >"$work/out/import-$id.log"
  fi
done
count="$(ls "$work"/catalogs/*.sqlite | wc -l)"
rm -f "$work/out/base.sqlite"
others=()
for catalog in "$work"/catalogs/*.sqlite; do
  [[ "$(basename "$catalog")" == RVU25D.sqlite ]] || others+=("$catalog")
done
"$bin/rvuimport" history build "${others[@]}" --output "$work/out/base.sqlite" >/dev/null
before_january=()
for catalog in "$work"/catalogs/*.sqlite; do
  [[ "$(basename "$catalog")" == RVU25* ]] || before_january+=("$catalog")
done
rm -f "$work/out/base-january.sqlite" "$work/out/built-january.sqlite"
"$bin/rvuimport" history build "${before_january[@]}" --output "$work/out/base-january.sqlite" >/dev/null
"$bin/rvuimport" history build "${before_january[@]}" "$work/catalogs/RVU25A.sqlite" \
  --output "$work/out/built-january.sqlite" >/dev/null

# Seconds of wall time of one command (its output discarded).
seconds() {
  local start end
  start="$(date +%s.%N)"
  "$@" >/dev/null
  end="$(date +%s.%N)"
  echo "$end - $start" | bc -l
}
# "median (min–max)" of the numbers on standard input.
summary() {
  sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "median %.3f s (%.3f-%.3f, %d runs)\n", m, v[1], v[NR], NR }'
}

: >"$work/out/build.times"
: >"$work/out/add.times"
: >"$work/out/january.times"
for ((run = 1; run <= runs; run++)); do
  rm -f "$work/out/history.sqlite"
  build="$(seconds "$bin/rvuimport" history build --catalogs "$work/catalogs" --output "$work/out/history.sqlite")"
  cp "$work/out/base.sqlite" "$work/out/added.sqlite"
  add="$(seconds "$bin/rvuimport" history add "$work/catalogs/RVU25D.sqlite" --history "$work/out/added.sqlite")"
  cp "$work/out/base-january.sqlite" "$work/out/added-january.sqlite"
  january="$(seconds "$bin/rvuimport" history add "$work/catalogs/RVU25A.sqlite" --history "$work/out/added-january.sqlite")"
  echo "run $run: build $build s, add $add s, add January $january s" >&2
  echo "$build" >>"$work/out/build.times"
  echo "$add" >>"$work/out/add.times"
  echo "$january" >>"$work/out/january.times"
done
cmp -s "$work/out/history.sqlite" "$work/out/added.sqlite" || {
  echo "error: the history built at once differs from the one added to" >&2
  exit 1
}
cmp -s "$work/out/built-january.sqlite" "$work/out/added-january.sqlite" || {
  echo "error: the history built with RVU25A differs from the one RVU25A was added to" >&2
  exit 1
}
echo "cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "catalogs: $count; history file: $(stat -c %s "$work/out/history.sqlite") bytes"
sqlite3 "$work/out/history.sqlite" \
  "SELECT 'rvu_period rows: ' || count(*) FROM rvu_period; SELECT 'locality_period rows: ' || count(*) FROM locality_period;"
echo "history build: $(summary <"$work/out/build.times")"
echo "history add:   $(summary <"$work/out/add.times") (RVU25D)"
echo "history add:   $(summary <"$work/out/january.times") (RVU25A, January)"
