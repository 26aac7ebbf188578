#!/usr/bin/env bash
# Benchmark of `fleetk8s watch` against a fresh `fleetk8s check`, in one run:
# on a sandbox fleet of 1 control plane + N-1 workers brought up and
# converged (`up`) first, it times
#   - `exec true` (a login on every host, nothing else: what fresh sessions cost),
#   - `check` (fresh sessions, the cluster's check phases), median of 3,
#   - the watch's check cycles over kept sessions (cycles 2.. back to back,
#     from the watch's own -v lines: wall time and controller CPU), median:
#     with fingerprints (the default: unchanged hosts are not checked in
#     full), then without (--full-check-every 1s: every host in full),
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
# around cycles 2..CYCLES+1. watch OUT [FLAGS...] prints "CPU_FROM CPU_TO".
cpu() { awk '/^cpu / { print ($2 + $3 + $4 + $6 + $7 + $8) / 100 }' /proc/stat; }  # seconds, USER_HZ 100
watch() {
  local out=$1 pid from; shift
  "$bin" watch "$inv" -f "$hosts" --every 1s -v --run-dir "$work/runs" "$@" >"$out" 2>&1 &
  pid=$!
  seen() { grep -c ' cycle [0-9]*: ' "$out" || true; }
  until [ "$(seen)" -ge 1 ]; do sleep 0.1; done
  from=$(cpu)
  until [ "$(seen)" -ge $((cycles + 1)) ]; do sleep 0.1; done
  echo "$from $(cpu)"
  kill -TERM "$pid"; wait "$pid" >/dev/null || true
}
watch "$work/watch.out" >"$work/cpu"
watch "$work/watch-full.out" --full-check-every 1s >>"$work/cpu"
{ read -r cpu_from cpu_to; read -r full_from full_to; } <"$work/cpu"
python3 - "$cycles" "$check_line" "$hosts" "$work/watch.out" "$cpu_from" "$cpu_to" \
  "$work/watch-full.out" "$full_from" "$full_to" <<'PY'
import re, statistics, sys
cycles, check_line, hosts = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
check = float(re.search(r"median ([0-9.]+) s", check_line).group(1))

def report(out, cpu_from, cpu_to, what):
    rows = [(int(n), float(w), float(c), int(u or 0)) for n, w, c, u in
            re.findall(r" cycle (\d+): \d+ of \d+ hosts checked in ([0-9.]+) s \(controller CPU ([0-9.]+) s"
                       r"(?:; (\d+) unchanged since their last full check)?\)", open(out).read())]
    later = [r for r in rows if 2 <= r[0] <= cycles + 1]
    wall = statistics.median(r[1] for r in later)
    print(f"{what}:")
    print(f"  cycle 1 (logins)       : {rows[0][1]:.2f} s, controller CPU {rows[0][2]:.2f} s")
    print(f"  cycles 2..{cycles + 1:<13}: median {wall:.2f} s (min {min(r[1] for r in later):.2f}, "
          f"max {max(r[1] for r in later):.2f}), controller CPU {statistics.median(r[2] for r in later):.2f} s, "
          f"machine CPU {(float(cpu_to) - float(cpu_from)) / len(later):.2f} s per cycle")
    print(f"  hosts not checked in full: median {statistics.median(r[3] for r in later):.0f} of {hosts} per cycle")
    print(f"  cycle / fresh check    : {wall / check:.2f}")

report(sys.argv[4], sys.argv[5], sys.argv[6], "watch (fingerprints: an unchanged host is not checked in full; target 0.10)")
report(sys.argv[7], sys.argv[8], sys.argv[9], "watch --full-check-every 1s (every host in full every cycle)")
PY
