#!/usr/bin/env bash
# Runs the benchmarks (a separate package under Benchmarks/, release build) on the real release in
# $RVU_SHARED_CMS (default ../shared/cms), else on the Samples' RVU26A. Extra arguments go to
# `swift package benchmark` (e.g. --filter "PPRRVU.*").
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"
if [[ -z "${RVU_SHARED_CMS:-}" && -d ../../shared/cms ]]; then
  RVU_SHARED_CMS="$(cd ../../shared/cms && pwd)"
  export RVU_SHARED_CMS
fi
echo "cores: $(nproc)"
swift package --allow-writing-to-package-directory benchmark "$@"
