#!/usr/bin/env bash
# Builds fleetk8s with AddressSanitizer and UndefinedBehaviorSanitizer
# (clang, FLEETK8S_SANITIZE=ON; FLEETK8S_FUZZ=ON too, so scripts/fuzz.sh
# shares the build directory) and runs the unit tests plus one integration
# suite that drives SSH and the modules against the sandbox fleet
# (integration/ssh). Any sanitizer report fails the test it happens in;
# exits non-zero when a test fails. It links the machine's own libssh2
# (FLEETK8S_LIBSSH2=system: 1.10 on Debian 12), so CI covers that build too;
# scripts/build.sh's default links 1.11.
#
#   scripts/test-sanitized.sh                 build, unit tests, integration/ssh
#   scripts/test-sanitized.sh --unit          build, unit tests only
#   scripts/test-sanitized.sh --configure-only
#
# BUILD_DIR (default build-san) is the build directory; FLEETK8S_WERROR=ON
# makes compiler warnings errors (CI sets it). Builds take
# /tmp/fk-build.lock one target at a time, so others can build in between;
# the sandbox fleet is used under /tmp/fk-sandbox.lock.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-san}
lock=/tmp/fk-build.lock
mode=${1:-all}
start=$SECONDS

"$root/scripts/install-deps.sh"
# -O1 and line tables only: the sanitizers' usual setting, and a much
# faster build than -O2 -g.
flock "$lock" cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
  -DFLEETK8S_SANITIZE=ON -DFLEETK8S_FUZZ=ON -DFLEETK8S_LIBSSH2=system ${FLEETK8S_WERROR:+-DFLEETK8S_WERROR=$FLEETK8S_WERROR} >/dev/null
[[ $mode == --configure-only ]] && exit 0

targets=()
for dir in "$root"/tests/unit/*/; do
  compgen -G "$dir*.cpp" >/dev/null && targets+=("unit_$(basename "$dir")")
done
[[ $mode == --unit ]] || targets+=(integration_ssh)
for target in "${targets[@]}"; do
  echo "== building $target"
  flock "$lock" nice -n 10 cmake --build "$build" -j2 --target "$target"
done
echo "== built in $((SECONDS - start))s"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:fast_unwind_on_malloc=0
export LSAN_OPTIONS=suppressions=$root/scripts/lsan-libssh2-1.10.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd "$build"
status=0
ctest -L unit -j2 --output-on-failure --timeout 600 || status=1
if [[ $mode != --unit ]]; then
  flock /tmp/fk-sandbox.lock ctest -R '^integration/ssh:' --output-on-failure --timeout 600 || status=1
fi
echo "== sanitized build and tests: $((SECONDS - start))s, $([[ $status == 0 ]] && echo passed || echo FAILED)"
exit $status
