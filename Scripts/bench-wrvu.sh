#!/usr/bin/env bash
# Times `rvuimport wrvu --input` (the batch lookup) on a history of the Samples' releases (RVU25D,
# RVU26A) with VISITS generated visits (default 100000), RUNS times (default 7) after one warm-up,
# and prints the median, minimum and maximum wall time of the whole process (start, reading the
# history, answering, writing the CSV to /dev/null).
#
#   Scripts/bench-wrvu.sh [VISITS] [RUNS]
#
# Visits: every RVU row of the Samples' golden catalog dumps (each modifier), dates spread over
# 2025-10-01 to 2026-12-31, units 1 to 3, from a fixed linear congruential sequence: the same
# file every time. RVUIMPORT names the binary (default: swift build -c release).
set -euo pipefail
cd "$(dirname "$0")/.."
visits=${1:-100000} runs=${2:-7}
work=.build/bench-wrvu
mkdir -p "$work"
if [[ -n ${RVUIMPORT:-} ]]; then
  tool=$RVUIMPORT
else
  swift build -c release --product rvuimport >&2
  tool="$(swift build -c release --show-bin-path)/rvuimport"
fi
for id in RVU25D RVU26A; do
  [[ -f $work/$id.sqlite ]] ||
    "$tool" --release "$id" --source Samples/releases --curated Samples/curated --output "$work/$id.sqlite" >/dev/null 2>&1
done
"$tool" history build "$work/RVU25D.sqlite" "$work/RVU26A.sqlite" --output "$work/history.sqlite" >/dev/null

# The rows of the golden dumps (code, modifier), then VISITS visits drawn from them.
awk -F '\t' -v visits="$visits" '
  /^# / { in_rvu = ($0 == "# rvu"); next }
  in_rvu && $3 == "variant=general" {
    key = substr($1, 7) "," substr($2, 10)
    if (!(key in seen)) { seen[key] = 1; keys[count++] = key }
  }
  END {
    split("31 28 31 30 31 30 31 31 30 31 30 31", days, " ")
    print "code,modifier,date,units"
    state = 12345
    for (i = 0; i < visits; i++) {
      state = (state * 69069 + 1) % 4294967296; key = keys[state % count]
      state = (state * 69069 + 1) % 4294967296; month = 10 + state % 15
      year = 2025 + int((month - 1) / 12); month = (month - 1) % 12 + 1
      state = (state * 69069 + 1) % 4294967296; day = 1 + state % days[month]
      state = (state * 69069 + 1) % 4294967296; units = 1 + state % 3
      printf "%s,%04d-%02d-%02d,%d\n", key, year, month, day, units
    }
  }' Samples/golden/RVU25D.catalog.txt Samples/golden/RVU26A.catalog.txt >"$work/visits.csv"

echo "visits: $visits ($(wc -c <"$work/visits.csv") bytes), cores: $(nproc)"
# Visits of codes added by RVU26A dated in 2025 have no answer: wrvu then exits 1.
"$tool" wrvu --history "$work/history.sqlite" --input "$work/visits.csv" >/dev/null || (($? == 1))
times=()
for ((run = 0; run < runs; run++)); do
  start=$(date +%s%N)
  "$tool" wrvu --history "$work/history.sqlite" --input "$work/visits.csv" >/dev/null 2>"$work/totals.txt" || (($? == 1))
  end=$(date +%s%N)
  times+=($(((end - start) / 1000000)))
done
cat "$work/totals.txt"
printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END {
  printf "wrvu --input, %d runs: median %d ms (%d-%d ms)\n", NR, t[int((NR + 1) / 2)], t[1], t[NR] }'
