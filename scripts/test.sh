#!/usr/bin/env bash
# Builds fleetk8s and runs the whole test suite: unit tests, then the
# integration tests against a sandbox fleet of real sshd processes that the
# suite starts and tears down itself. Extra arguments go to ctest
# (e.g. -L unit, -L integration, -R ssh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
"$root/scripts/build.sh"
cd "$build"
# Two tests at a time by default (FLEETK8S_TEST_JOBS): the integration tests
# mostly wait on their hosts, and tests/integration/CMakeLists.txt keeps
# apart the ones that share a fleet or a net.
ctest --output-on-failure --timeout 600 -j "${FLEETK8S_TEST_JOBS:-2}" "$@"
