#!/usr/bin/env bash
# Formats the Swift sources in place with the toolchain's swift-format and .swift-format;
# with --check, only reports files that are not formatted (exit 1 if any).
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Sources Tests Scripts Benchmarks/Package.swift Benchmarks/Benchmarks Fuzz/Package.swift Fuzz/Sources)
if [[ "${1:-}" == "--check" ]]; then
  swift format lint --recursive --strict --parallel "${paths[@]}"
else
  swift format format --in-place --recursive "${paths[@]}"
fi
