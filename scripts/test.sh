#!/usr/bin/env bash
# Runs every test of the project on a fresh Debian 12 machine: installs what
# is missing (scripts/setup.sh), configures, builds and runs ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
build="${BUILD_DIR:-build}"
jobs="$(nproc)"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DVIRTIO_REQUIRE_RTTHREAD="${VIRTIO_REQUIRE_RTTHREAD:-OFF}"
cmake --build "$build" -j"$jobs"
ctest --test-dir "$build" --output-on-failure -j"$jobs"
