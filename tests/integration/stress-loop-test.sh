#!/usr/bin/env bash
# No host is lost to a busy moment: a loop of 20 items on every host of a
# 100-host fleet (its own, net 86), the machine kept busy by two bounded
# busy loops, five times over. Every run must end, on its own, with every
# host accounted for: 20 item lines and ok=1 changed=1 in its recap line.
# (Before the fix of SshStream::read_until, ~1 in 6 hosts stalled for good.)
# Usage: stress-loop-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT [HOSTS] [RUNS]
set -uo pipefail
bin=$(realpath "$1") fleet=$(realpath "$2")
hosts=${3:-100} runs=${4:-5}
work=$(mktemp -d)
dir=$work/fleet
busy=()
trap 'kill "${busy[@]}" 2>/dev/null; "$fleet" down "$dir" >/dev/null 2>&1; rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"

"$fleet" up --net 86 --port 2486 "$hosts" "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
inv=$dir/inventory.ini
cat >"$work/loop.yml" <<'YAML'
- hosts: all
  gather_facts: false
  tasks:
    - name: loop
      shell: "echo {{ item }} >> /root/items.log; echo {{ item }}"
      loop: "{{ range(0, 20) | list }}"
YAML

for ((i = 1; i <= runs; i++)); do
  busy=()
  for _ in 1 2; do timeout 120 sh -c 'while :; do :; done' & busy+=($!); done
  started=$(date +%s)
  # A stalled run is killed by the outer limit, and fails the checks below.
  (cd "$work" && timeout -s KILL 240 "$bin" run -i "$inv" -f 200 loop.yml) >"$work/out" 2>&1
  echo $? >"$work/rc"
  took=$(( $(date +%s) - started ))
  kill "${busy[@]}" 2>/dev/null; wait "${busy[@]}" 2>/dev/null
  items=$(grep -cE '^changed: \[[a-z0-9]+\] => \(item=' "$work/out")
  done_hosts=$(grep -cE '^[a-z0-9]+ +: ok=1 +changed=1 +unreachable=0 +failed=0 ' "$work/out")
  check "run $i: ended by itself in ${took} s, exit 0, $items of $((hosts * 20)) items, $done_hosts of $hosts hosts done" \
    "[ \$(rc) = 0 ] && [ $items = $((hosts * 20)) ] && [ $done_hosts = $hosts ]"
done
finish
