#!/usr/bin/env bash
# Runs the benchmarks (a separate package under Benchmarks/, release build) on the real release in
# $RVU_SHARED_CMS (default ../shared/cms), else on the Samples' RVU26A, plus synthetic releases of
# 1, 4 and 16 times a real release's rows (written first with `rvusamples --synthetic N`), and the
# full synthetic curated corpus of the release (written first with `rvusamples --curated-corpus`).
# Extra arguments go to `swift package benchmark` (e.g. --filter "Member.*").
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${RVU_SHARED_CMS:-}" && -d ../shared/cms ]]; then
  RVU_SHARED_CMS="$(cd ../shared/cms && pwd)"
  export RVU_SHARED_CMS
fi
RVU_SYNTHETIC_DIR="$(pwd)/.build/synthetic"
export RVU_SYNTHETIC_DIR
swift build -c release --product rvusamples
for scale in 1 4 16; do
  mkdir -p "$RVU_SYNTHETIC_DIR/x$scale"
  .build/release/rvusamples --synthetic "$scale" --output "$RVU_SYNTHETIC_DIR/x$scale"
done
RVU_CURATED_CORPUS="$(pwd)/.build/curated-corpus"
export RVU_CURATED_CORPUS
if [[ -n "${RVU_SHARED_CMS:-}" && -f "$RVU_SHARED_CMS/RVU24B.zip" ]]; then
  .build/release/rvusamples --curated-corpus --archive "$RVU_SHARED_CMS/RVU24B.zip" --output "$RVU_CURATED_CORPUS" >/dev/null
else
  .build/release/rvusamples --curated-corpus --release RVU26A --output "$RVU_CURATED_CORPUS" >/dev/null
fi
echo "cores: $(nproc)"
cd Benchmarks
swift package --allow-writing-to-package-directory benchmark "$@"
