#!/usr/bin/env bash
# Benchmark of `fleetk8s watch` against a fresh `fleetk8s check`, in one run:
# on a sandbox fleet of 1 control plane + N-1 workers brought up and
# converged (`up`) first, it times
#   - `exec true` (a login on every host, nothing else: what fresh sessions cost),
#   - `check` (fresh sessions, the cluster's check phases), median of 3,
#   - the watch's check cycles over kept sessions (cycles 2.. back to back,
#     from the watch's own -v lines: wall time and controller CPU), median,
# and prints the ratio cycle / check and the machine's CPU per cycle (on the
# sandbox the hosts share this machine's cores, so their work is in it).
# Usage: scripts/bench-watch.sh [HOSTS] [CYCLES]   (default 50 hosts, 10 cycles)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
hosts=${1:-50} cycles=${2:-10}
"$root/scripts/build.sh" fleetk8s >/dev/null
bin=$root/build/src/cli/fleetk8s
measure=$root/scripts/lib/measure.py
work=$(mktemp -d)
dir=$work/fleet
trap '"$root/scripts/sandbox-fleet" down "$dir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

"$root/scripts/sandbox-fleet" up --net 71 --port 2471 "$hosts" "$dir" >/dev/null
inv=$dir/inventory.ini
cd "$work"
"$bin" up "$inv" -f "$hosts" --no-progress --run-dir "$work/runs" >"$work/up.out" 2>&1 ||
  { echo "up failed (see below)"; tail -20 "$work/up.out"; exit 1; }
echo "== 1 control plane + $((hosts - 1)) workers (converged), $(nproc) cores shared with the hosts"
python3 "$measure" "exec true (logins only)  " 3 -- "$bin" exec -i "$inv" -f "$hosts" true
check_line=$(python3 "$measure" --machine-cpu "check (fresh sessions)   " 3 -- \
  "$bin" check "$inv" -f "$hosts" --no-progress --run-dir "$work/runs")
echo "$check_line"

# The watch: cycles back to back (--every 1s is shorter than a cycle), -v
# prints each one's wall time and controller CPU; the machine's CPU is read
# around cycles 2..CYCLES+1.
cpu() { awk '/^cpu / { print ($2 + $3 + $4 + $6 + $7 + $8) / 100 }' /proc/stat; }  # seconds, USER_HZ 100
"$bin" watch "$inv" -f "$hosts" --every 1s -v --run-dir "$work/runs" >"$work/watch.out" 2>&1 &
pid=$!
seen() { grep -c ' cycle [0-9]*: ' "$work/watch.out" || true; }
until [ "$(seen)" -ge 1 ]; do sleep 0.1; done
cpu_from=$(cpu)
until [ "$(seen)" -ge $((cycles + 1)) ]; do sleep 0.1; done
cpu_to=$(cpu)
kill -TERM "$pid"; wait "$pid" || true
python3 - "$work/watch.out" "$cycles" "$cpu_from" "$cpu_to" "$check_line" <<'PY'
import re, statistics, sys
out, cycles, cpu_from, cpu_to, check_line = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
rows = [(int(n), float(w), float(c)) for n, w, c in
        re.findall(r" cycle (\d+): \d+ of \d+ hosts checked in ([0-9.]+) s \(controller CPU ([0-9.]+) s\)", open(out).read())]
later = [r for r in rows if 2 <= r[0] <= cycles + 1]
wall = statistics.median(r[1] for r in later)
ctl = statistics.median(r[2] for r in later)
check = float(re.search(r"median ([0-9.]+) s", check_line).group(1))
print(f"watch cycle 1 (logins)   : {rows[0][1]:.2f} s, controller CPU {rows[0][2]:.2f} s")
print(f"watch cycles 2..{cycles + 1:<8}: median {wall:.2f} s (min {min(r[1] for r in later):.2f}, max {max(r[1] for r in later):.2f}), "
      f"controller CPU {ctl:.2f} s, machine CPU {(cpu_to - cpu_from) / len(later):.2f} s per cycle")
print(f"cycle / fresh check      : {wall / check:.2f} (target 0.10)")
PY
