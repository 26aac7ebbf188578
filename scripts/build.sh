#!/usr/bin/env bash
# Installs what is missing and builds fleetk8s into ./build (or $BUILD_DIR).
#
#   scripts/build.sh              everything: fleetk8s, the tests, the test tools
#   scripts/build.sh fleetk8s     only the given targets (scripts/demo.sh needs just the binary)
#
# FLEETK8S_WERROR=ON makes compiler warnings errors (CI sets it); the build
# directory keeps the setting until it is given again. FLEETK8S_BUILD_TESTS=OFF
# (scripts/demo.sh) configures without the test suite, so its packages
# (Catch2, clang, Ansible) are not needed; the next full build turns it on.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
tests=${FLEETK8S_BUILD_TESTS:-ON}
"$root/scripts/install-deps.sh" $([ "$tests" = OFF ] && echo --demo)
# BUILD_TYPE=Release (scripts/demo.sh): -O2 without debug information, which
# takes a fifth of the compile time and most of the build directory's size.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} -DFLEETK8S_BUILD_TESTS="$tests" \
  -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
  ${FLEETK8S_WERROR:+-DFLEETK8S_WERROR=$FLEETK8S_WERROR} >/dev/null
cmake --build "$build" -j "${JOBS:-2}" ${1:+--target "$@"}
echo "build: $build/src/cli/fleetk8s"
