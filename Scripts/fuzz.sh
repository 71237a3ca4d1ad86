#!/usr/bin/env bash
# Builds the libFuzzer harnesses of Fuzz/ (a separate package, with -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld) and
# runs each for a bounded time on a seed corpus made from the members of Samples/releases/*.zip.
#
#   Scripts/fuzz.sh [SECONDS] [HARNESS ...]   (default: 60 seconds each; FuzzCSV FuzzFixedWidth FuzzXLSX FuzzZip)
#
# The growing corpus is kept in Fuzz/.build/corpus/HARNESS, logs in Fuzz/.build/logs/HARNESS.log;
# a crashing input is written to Fuzz/artifacts/ and the script exits with libFuzzer's status.
# Inputs in Fuzz/regressions/HARNESS (committed) are always run first. FUZZ_SKIP_BUILD=1 runs the
# harnesses as last built. Linked with lld: gold fails on libFuzzer's main beside SwiftPM's.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
if [[ $# -gt 0 ]]; then shift; fi
harnesses=("$@")
if [[ ${#harnesses[@]} -eq 0 ]]; then harnesses=(FuzzCSV FuzzFixedWidth FuzzXLSX FuzzZip); fi

if [[ -z "${FUZZ_SKIP_BUILD:-}" ]]; then
  (cd Fuzz && swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld)
fi
bin="$(cd Fuzz && swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld --show-bin-path)"

# Seeds: every dataset member of the sample releases; for the member harnesses the first byte
# picks the dataset (see Fuzz/Sources/FuzzSupport), for the zip harness the archives themselves
# and the XLSX members (zips too).
seeds=Fuzz/.build/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{FuzzCSV,FuzzFixedWidth,FuzzXLSX,FuzzZip}
dataset_byte() {
  case "$(tr '[:lower:]' '[:upper:]' <<<"$1")" in
    *PPRRVU*) printf '\x00' ;; *GPCI*) printf '\x01' ;; *LOCCO*) printf '\x02' ;;
    *ANES*) printf '\x03' ;; *OPPS*) printf '\x04' ;; *) return 1 ;;
  esac
}
for archive in Samples/releases/*.zip; do
  release="$(basename "$archive" .zip)"
  cp "$archive" "$seeds/FuzzZip/$release.zip"
  while read -r member; do
    case "$member" in
      *.csv) harness=FuzzCSV ;; *.txt) harness=FuzzFixedWidth ;; *.xlsx) harness=FuzzXLSX ;; *) continue ;;
    esac
    byte="$(dataset_byte "$member" | od -An -tx1 | tr -d ' ')" || continue
    [[ -n "$byte" ]] || continue
    { printf "\\x$byte"; unzip -p "$archive" "$member"; } >"$seeds/$harness/$release-$member"
    if [[ "$harness" == FuzzXLSX ]]; then unzip -p "$archive" "$member" >"$seeds/FuzzZip/$release-$member"; fi
  done < <(unzip -Z1 "$archive")
done

mkdir -p Fuzz/.build/logs Fuzz/artifacts
for harness in "${harnesses[@]}"; do
  corpus="Fuzz/.build/corpus/$harness"
  mkdir -p "$corpus" "Fuzz/regressions/$harness"
  echo "== $harness: $seconds s"
  "$bin/$harness" -max_total_time="$seconds" -max_len=65536 -timeout=60 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="Fuzz/artifacts/$harness-" \
    "$corpus" "Fuzz/regressions/$harness" "$seeds/$harness" 2>&1 | tee "Fuzz/.build/logs/$harness.log"
done
