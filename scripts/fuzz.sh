#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*_fuzz.cpp; clang, ASan+UBSan)
# and runs each for SECONDS (default 30), one after the other. Prints, per
# target, the executions, the coverage and corpus size reached, and any
# finding (crash, sanitizer report, timeout, out of memory); exits 1 when
# there was one.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]    e.g. scripts/fuzz.sh 300 template
#
# Seeds come from tests/fuzz/corpus/<name>/ (read-only here); what a run
# learns is kept in $BUILD_DIR/fuzz-corpus/<name>/ for the next run. A
# finding is written to $BUILD_DIR/fuzz-findings/<name>-crash-<sha1> (or
# -timeout-, -oom-); reproduce it with `$BUILD_DIR/tests/fuzz/<name>_fuzz
# FILE`, and once fixed copy it into tests/fuzz/corpus/<name>/ as a
# regression input.
#
# The build directory (BUILD_DIR, default build-san) is the one
# scripts/test-sanitized.sh uses too. Builds take /tmp/fk-build.lock, one
# target at a time, so others can build in between.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-san}
seconds=${1:-30}
shift || true
all=(ini_inventory yaml_inventory python_literal host_pattern ssh_config playbook template join_data secrets host_output)
targets=("${@:-${all[@]}}")
lock=/tmp/fk-build.lock

"$root/scripts/test-sanitized.sh" --configure-only

# Longest input per target: room for a real file, short enough to keep
# executions fast.
max_len() {
  case "$1" in
    ini_inventory | yaml_inventory | playbook | ssh_config) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

findings=0
summary=()
for name in "${targets[@]}"; do
  flock "$lock" nice -n 10 cmake --build "$build" -j2 --target "${name}_fuzz" >/dev/null
done
for name in "${targets[@]}"; do
  corpus="$build/fuzz-corpus/$name"
  out="$build/fuzz-findings"
  log="$build/fuzz-logs/$name.log"
  mkdir -p "$corpus" "$out" "$(dirname "$log")"
  seeds=("$root/tests/fuzz/corpus/$name")
  [[ -d ${seeds[0]} ]] || seeds=()
  echo "== $name: ${seconds}s"
  set +e
  ASAN_OPTIONS=detect_leaks=1 \
  UBSAN_OPTIONS=print_stacktrace=1 \
    nice -n 15 "$build/tests/fuzz/${name}_fuzz" "$corpus" "${seeds[@]}" \
    -max_total_time="$seconds" -max_len="$(max_len "$name")" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/$name-" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  added=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corp=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2)
  line="$name: ${runs:-?} runs, coverage ${cov:-?}, corpus ${corp:-?} (+${added:-0} new)"
  if [[ $rc -ne 0 ]]; then
    findings=$((findings + 1))
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    what=$(grep -m1 -E '^==[0-9]+==ERROR|runtime error:|ERROR: libFuzzer|^SUMMARY' "$log" || true)
    line="$line -- FINDING: ${what:-exit $rc} ${artifact:+($artifact)} (log: $log)"
  fi
  echo "$line"
  summary+=("$line")
done

echo
echo "== fuzzing summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [[ $findings -ne 0 ]]; then
  echo "$findings target(s) found a problem" >&2
  exit 1
fi
