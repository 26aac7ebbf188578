#!/usr/bin/env bash
# Benchmark: fleetk8s at fleet scale (issue 14). For each size, on a sandbox
# fleet of its own (net 127.0.100.x and up, port 2410):
#   - the fleet's boot, timed apart (it is not fleetk8s' cost);
#   - `exec -- hostname`;
#   - a converged `run` of the 25-task OS preparation
#     (tests/data/playbooks/bench-converge.yml, facts included), brought to
#     convergence by an untimed first run; the measured run must change nothing;
#   - the same playbook in check mode (`run --check`).
# Each with -f SIZE (every host at once): wall time, the controller's CPU and
# peak RSS (scripts/lib/measure.py), and the machine's CPU during the run;
# the machine's minus the controller's is what the simulated hosts (sshd,
# their shells and modules) spent, on the same cores.
# With CLUSTER=1, then the cluster: `up` on the fleet (one control plane, the
# other hosts joining join_parallel at a time; once: it installs), and the
# cluster's `check` on it, converged.
# Usage: scripts/bench-scale.sh [SIZES...]   (default: 100 500 1000)
#        RUNS=N: timed runs per measurement (default 1; the median is shown)
#        CLUSTER=1: also `up` and the cluster's `check` (1,000 hosts: ~12 min more)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(100 500 1000); fi
runs=${RUNS:-1}
bin=${FLEETK8S:-$root/build/src/cli/fleetk8s}
measure=$root/scripts/lib/measure.py
book=$root/tests/data/playbooks/bench-converge.yml
dir=${BENCH_DIR:-/tmp/fleetk8s-bench-scale}
work=$(mktemp -d /tmp/fk-benchscale.XXXXXX)
trap '"$root/scripts/sandbox-fleet" down "$dir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
trap "exit 143" TERM INT  # the EXIT trap takes the fleet down
[ -x "$bin" ] || "$root/scripts/build.sh" >/dev/null

# recap FILE: "N hosts, changed=C unreachable=U failed=F" from a PLAY RECAP;
# status 1 unless every host has changed=0 unreachable=0 failed=0.
recap() {
  awk '/^[^ ]+ +: ok=[0-9]+/ { n++; for (i = 3; i <= NF; i++) { split($i, kv, "="); sum[kv[1]] += kv[2] } }
       END { printf "%d hosts, changed=%d unreachable=%d failed=%d\n", n, sum["changed"], sum["unreachable"], sum["failed"]
             exit (n == 0 || sum["changed"] + sum["unreachable"] + sum["failed"] > 0) }' "$1"
}

echo "# $("$bin" --version 2>/dev/null | head -n 1), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in "${sizes[@]}"; do
  "$root/scripts/sandbox-fleet" down "$dir" >/dev/null 2>&1 || true
  start=$(date +%s.%N)
  "$root/scripts/sandbox-fleet" up --net 100 --port 2410 "$n" "$dir" >/dev/null
  printf '== %d hosts (fleet booted in %.1f s)\n' "$n" "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
  inv=$dir/inventory.ini
  python3 "$measure" --machine-cpu "exec hostname" "$runs" -- "$bin" exec -i "$inv" -f "$n" -- hostname
  "$bin" run -i "$inv" -f "$n" "$book" >"$work/first" 2>&1 || { echo "the first run failed:"; tail -5 "$work/first"; }
  python3 "$measure" --machine-cpu --output "$work/run" "run (converged)" "$runs" -- "$bin" run -i "$inv" -f "$n" "$book"
  echo "   recap: $(recap "$work/run" || echo "NOT CONVERGED")"
  python3 "$measure" --machine-cpu --output "$work/check" "run --check" "$runs" -- "$bin" run -i "$inv" -f "$n" --check "$book"
  echo "   recap: $(recap "$work/check" || echo "DRIFT OR FAILURES")"
  [ "${CLUSTER:-0}" = 1 ] || continue
  /usr/bin/time -f "%e %U %S %M %x" -o "$work/up-time" "$bin" up "$inv" -f "$n" >"$work/up" 2>&1 || true
  read -r wall user sys rss rc <"$work/up-time"
  printf 'up (first install): %.1f s, controller CPU %.1f s, peak RSS %.1f MB, exit %s; %s\n' "$wall" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$rc" \
    "$(grep -E '^every node is Ready|^fleetk8s:' "$work/up" | tail -n 1)"
  python3 "$measure" --machine-cpu --output "$work/ccheck" "check (the cluster's, converged)" "$runs" -- "$bin" check "$inv" -f "$n"
  echo "   $(grep -E '^converged|^drift|^problem' "$work/ccheck" | head -n 1)"
done
