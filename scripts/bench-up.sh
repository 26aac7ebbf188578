#!/usr/bin/env bash
# Benchmark of the product: `fleetk8s up` on a fresh sandbox fleet (first
# run), `up` again on the converged fleet, and `check`, with wall time,
# controller CPU (user+system) and peak memory of the fleetk8s process.
# fleetk8s is one process, so getrusage's max RSS of the child is its peak.
# Usage: scripts/bench-up.sh [RUNS] [SIZES...]   (default: 3 runs; 4 and 50 hosts = 1+3 and 1+49)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}; shift || true
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(4 50); fi
"$root/scripts/build.sh" >/dev/null
bin=$root/build/src/cli/fleetk8s
dir=/tmp/fleetk8s-bench-up
work=$(mktemp -d)  # the kubeconfigs land here
trap '"$root/scripts/sandbox-fleet" down "$dir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# measure LABEL RUNS -- COMMAND...: median wall, CPU and peak RSS over RUNS runs.
measure() {
  python3 - "$@" <<'PY'
import resource, statistics, subprocess, sys, time
label, runs, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[4:]
walls, cpus, rss, codes = [], [], [], []
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    code = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    walls.append(time.monotonic() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    rss.append(after.ru_maxrss / 1024)
    codes.append(code)
print(f"{label}: median {statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f}) over {runs} run(s), "
      f"controller CPU {statistics.median(cpus):.2f} s, peak RSS {max(rss):.1f} MB, exit {','.join(map(str, sorted(set(codes))))}")
PY
}

for n in "${sizes[@]}"; do
  "$root/scripts/sandbox-fleet" down "$dir" >/dev/null 2>&1 || true
  "$root/scripts/sandbox-fleet" up --net 94 --port 2494 "$n" "$dir" >/dev/null
  inv=$dir/inventory.ini
  echo "== 1 control plane + $((n - 1)) workers"
  cd "$work"
  measure "up, first run      " 1 -- "$bin" up "$inv" --forks "$n"
  "$bin" up "$inv" --forks "$n" | grep -E "changed=[1-9]" && echo "(not converged after the first run!)"
  measure "up, converged      " "$runs" -- "$bin" up "$inv" --forks "$n"
  measure "check, converged   " "$runs" -- "$bin" check "$inv" --forks "$n"
  cd "$root"
done
