#!/usr/bin/env bash
# Times the whole `rvuimport --release RVU24B` run (default verification) with the full synthetic
# curated corpus of $RVU_SHARED_CMS/RVU24B.zip (default ../shared/cms), and `rvuimport curated
# check` of the corpus alone: writes the corpus with `rvusamples --curated-corpus`, then runs
# both RUNS times (default 7), alternating, after one warm-up each, and prints each one's median,
# minimum and maximum wall time, user CPU time and peak resident memory, with the load average.
# Extra binaries (BIN...) are timed the same way, alternating with this tree's release build:
# give an older build to compare before and after on the same machine state.
# Usage: Scripts/bench-curated.sh [RUNS] [BIN...]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"
shift || true
if [[ -z "${RVU_SHARED_CMS:-}" && -d ../shared/cms ]]; then
  RVU_SHARED_CMS="$(cd ../shared/cms && pwd)"
fi
archive="${RVU_SHARED_CMS:?set RVU_SHARED_CMS to the folder holding RVU24B.zip}/RVU24B.zip"
work="$(pwd)/.build/curated-bench"
mkdir -p "$work"
swift build -c release --product rvuimport >&2
swift build -c release --product rvusamples >&2
bin="$(swift build -c release --show-bin-path)"
"$bin/rvusamples" --curated-corpus --archive "$archive" --output "$work/curated" >&2
binaries=("$bin/rvuimport" "$@")
declare -A wall=() user=() memory=()
one() { # $1: binary, $2: run or check; adds the wall and user seconds and the peak memory in MB
  local measured key="$1 $2"
  if [[ "$2" == run ]]; then
    measured="$(/usr/bin/time -f "%e %U %M" "$1" --release RVU24B --source "$archive" --curated "$work/curated" \
      --output "$work/RVU24B.sqlite" 2>&1 >/dev/null | tail -1)"
  else
    measured="$(/usr/bin/time -f "%e %U %M" "$1" curated check "$work/curated" 2>&1 >/dev/null | tail -1)"
  fi
  read -r elapsed seconds kilobytes <<<"$measured"
  wall[$key]+="$elapsed "
  user[$key]+="$seconds "
  memory[$key]+="$((kilobytes / 1024)) "
}
summary() { # $1: numbers separated by spaces, $2: unit
  local sorted count
  sorted="$(tr ' ' '\n' <<<"$1" | grep . | sort -n)"
  count="$(wc -l <<<"$sorted")"
  echo "$(sed -n "$(((count + 1) / 2))p" <<<"$sorted") $2 ($(head -1 <<<"$sorted")–$(tail -1 <<<"$sorted"))"
}
for binary in "${binaries[@]}"; do one "$binary" run; one "$binary" check; done
wall=() user=() memory=()
echo "cores: $(nproc), load average before: $(cut -d' ' -f1-3 /proc/loadavg), $runs runs each"
for ((i = 0; i < runs; i++)); do
  for binary in "${binaries[@]}"; do one "$binary" run; one "$binary" check; done
done
for binary in "${binaries[@]}"; do
  for what in run check; do
    key="$binary $what"
    echo "$key: wall $(summary "${wall[$key]}" s), user $(summary "${user[$key]}" s), peak $(summary "${memory[$key]}" MB)"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
