#!/usr/bin/env bash
# Runs the test suite. Tests on the real CMS release read $RVU_SHARED_CMS (default: ../shared/cms
# beside the repository, when present) and are reported as skipped when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${RVU_SHARED_CMS:-}" && -d ../shared/cms ]]; then
  RVU_SHARED_CMS="$(cd ../shared/cms && pwd)"
  export RVU_SHARED_CMS
fi
swift build --build-tests "$@"
swift test --skip-build "$@"
