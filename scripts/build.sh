#!/usr/bin/env bash
# Installs what is missing and builds fleetk8s into ./build (or $BUILD_DIR).
#
#   scripts/build.sh              everything: fleetk8s, the tests, the test tools
#   scripts/build.sh fleetk8s     only the given targets (scripts/demo.sh needs just the binary)
#
# FLEETK8S_WERROR=ON makes compiler warnings errors (CI sets it); the build
# directory keeps the setting until it is given again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} \
  ${FLEETK8S_WERROR:+-DFLEETK8S_WERROR=$FLEETK8S_WERROR} >/dev/null
cmake --build "$build" -j "${JOBS:-2}" ${1:+--target "$@"}
echo "build: $build/src/cli/fleetk8s"
