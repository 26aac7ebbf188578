#!/usr/bin/env bash
# Benchmark: `fleetk8s exec -- uname -r` against parallel-ssh (Debian pssh)
# on 50 and 200 sandbox hosts, same parallelism, median wall time and peak
# controller memory (whole process tree) of each.
# Usage: scripts/bench-exec.sh [RUNS] [SIZES...]   (default: 5 runs, 50 200)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}; shift || true
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(50 200); fi
"$root/scripts/build.sh" >/dev/null
bin=$root/build/src/cli/fleetk8s
measure=$root/scripts/lib/measure.py
dir=/tmp/fleetk8s-bench
hosts_file=$(mktemp)
trap '"$root/scripts/sandbox-fleet" down "$dir" >/dev/null 2>&1 || true; rm -f "$hosts_file"' EXIT

for n in "${sizes[@]}"; do
  "$root/scripts/sandbox-fleet" down "$dir" >/dev/null 2>&1 || true
  "$root/scripts/sandbox-fleet" up "$n" "$dir" >/dev/null
  . "$dir/fleet.env"
  awk '/ansible_host=/{split($2,a,"="); print a[2]}' "$dir/inventory.ini" >"$hosts_file"
  forks=$n
  echo "== $n hosts, parallelism $forks, command: uname -r"
  # Both must succeed on every host before timing counts.
  if ! "$bin" exec -i "$dir/inventory.ini" --forks "$forks" -- uname -r >"$dir.check" 2>&1; then
    echo "fleetk8s exec did not succeed on every host:"; tail -5 "$dir.check"
  fi
  if ! parallel-ssh -h "$hosts_file" -p "$forks" -l root -t 60 \
    -x "-F /dev/null -p $FLEET_PORT -i $dir/id_ed25519 -o UserKnownHostsFile=$dir/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes" \
    uname -r >"$dir.check" 2>&1; then
    echo "parallel-ssh did not succeed on every host:"; grep -v SUCCESS "$dir.check" | tail -5
  fi
  rm -f "$dir.check"
  python3 "$measure" "fleetk8s exec ($n hosts)" "$runs" -- "$bin" exec -i "$dir/inventory.ini" --forks "$forks" -- uname -r
  python3 "$measure" "parallel-ssh  ($n hosts)" "$runs" -- parallel-ssh -h "$hosts_file" -p "$forks" -l root -t 60 \
    -x "-F /dev/null -p $FLEET_PORT -i $dir/id_ed25519 -o UserKnownHostsFile=$dir/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes" \
    uname -r
done
