#!/usr/bin/env bash
# Times `rvuimport pages` on a real release with a full curated corpus: writes the corpus with
# `rvusamples --curated-corpus` for every code of $RVU_SHARED_CMS/RVU24B.zip (default
# ../shared/cms), imports RVU24B with it, then writes the site RUNS times (default 7) to a folder
# on tmpfs (/dev/shm) and on disk (.build), alternating, after one warm-up each, and prints each
# one's median, minimum and maximum wall time and CPU time (user + system: what the run costs
# whatever else the machine runs) with the load average.
# Usage: Scripts/bench-site.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"
if [[ -z "${RVU_SHARED_CMS:-}" && -d ../shared/cms ]]; then
  RVU_SHARED_CMS="$(cd ../shared/cms && pwd)"
fi
archive="${RVU_SHARED_CMS:?set RVU_SHARED_CMS to the folder holding RVU24B.zip}/RVU24B.zip"
work="$(pwd)/.build/site-bench"
mkdir -p "$work"
swift build -c release --product rvuimport >&2
swift build -c release --product rvusamples >&2
bin="$(swift build -c release --show-bin-path)"
"$bin/rvusamples" --curated-corpus --archive "$archive" --output "$work/curated" >&2
"$bin/rvuimport" --release RVU24B --source "$archive" --curated "$work/curated" --output "$work/RVU24B.sqlite" >&2

shm="/dev/shm/rvu-site-bench-$$"
trap 'rm -rf "$shm" "$shm".* "$work/site"' EXIT
declare -A wall=([tmpfs]="" [disk]="") cpu=([tmpfs]="" [disk]="")
one() { # $1: label, $2: output folder; adds the run's wall and CPU (user + system) seconds
  local measured
  measured="$(/usr/bin/time -f "%e %U %S" "$bin/rvuimport" pages --catalog "$work/RVU24B.sqlite" --output "$2" 2>&1 >/dev/null | tail -1)"
  read -r elapsed user system <<<"$measured"
  wall[$1]+="$elapsed "
  cpu[$1]+="$(echo "$user + $system" | bc) "
}
summary() { # $1: seconds separated by spaces
  local sorted count
  sorted="$(tr ' ' '\n' <<<"$1" | grep . | sort -n)"
  count="$(wc -l <<<"$sorted")"
  echo "median $(sed -n "$(((count + 1) / 2))p" <<<"$sorted") s ($(head -1 <<<"$sorted")–$(tail -1 <<<"$sorted"), $count runs)"
}
one tmpfs "$shm"
one disk "$work/site"
wall=([tmpfs]="" [disk]="") cpu=([tmpfs]="" [disk]="")
echo "pages: $(find "$work/site/codes" -name '*.html' | wc -l), cores: $(nproc), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 0; i < runs; i++)); do
  one tmpfs "$shm"
  one disk "$work/site"
done
for label in tmpfs disk; do
  echo "$label: wall $(summary "${wall[$label]}"); CPU $(summary "${cpu[$label]}")"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
