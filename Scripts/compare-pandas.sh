#!/usr/bin/env bash
# Times rvuimport against pandas (CSV) and pandas + openpyxl (XLSX) pipelines on one archive,
# alternating runs, and prints medians and ratios. Creates a Python venv with pandas and openpyxl
# under .build/pandas-venv on first use (needs PyPI).
#
#     Scripts/compare-pandas.sh [ARCHIVE] [RUNS]   (default: $RVU_SHARED_CMS/RVU24B.zip, 7 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${RVU_SHARED_CMS:-../shared/cms}"
archive="${1:-$shared/RVU24B.zip}"
runs="${2:-7}"
[[ -f "$archive" ]] || { echo "compare-pandas: no archive at $archive" >&2; exit 66; }
venv=.build/pandas-venv
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pandas openpyxl
fi
swift build -c release --product rvuimport
"$venv/bin/python" Scripts/compare_pandas.py bench --rvuimport .build/release/rvuimport --archive "$archive" --runs "$runs"
