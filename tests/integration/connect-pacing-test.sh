#!/usr/bin/env bash
# No host lost to a busy moment (issue 14). On its own fleet of 250 hosts
# (net 74, port 2474), a converged playbook with -f 500 while bounded busy
# loops keep the machine's cores busy: every host is reached (ok, none
# unreachable), because at most --connect-parallel logins are in flight and
# each one's connect timeout starts with it. Without the pacing (the old
# binary, or --connect-parallel 0 --connect-retries 0) most hosts of this
# run are UNREACHABLE: "SSH handshake ... timed out after 10 s".
# Then a host with no sshd on its address: refused, tried 1 + --connect-retries
# times within seconds, reported unreachable with the attempts, by exec and
# by run (recap and JSON report).
# Usage: connect-pacing-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT [HOSTS] [BUSY_LOOPS]
# (PACING_ARGS="--connect-parallel 0 --connect-retries 0" in the environment
# turns the pacing off for the loaded run, to see it fail.)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
own_fleet "$1" "$2"
hosts=${3:-250} loops=${4:-6}
busy=()
trap 'kill "${busy[@]}" 2>/dev/null; "$fleet" down "$dir" >/dev/null 2>&1; rm -rf "$work"' EXIT

timeout 300 "$fleet" up --net 74 --port 2474 "$hosts" "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
inv=$dir/inventory.ini
# fk with a limit: a run that hangs is killed, and fails the checks.
within() { local limit=$1; shift; (cd "$work" && timeout -s KILL "$limit" "$bin" "$@") >"$work/out" 2>&1; echo $? >"$work/rc"; }

# Converged as it stands on a fresh host: nothing to change, so one run
# (no first converging run) is all it takes.
cat >"$work/converged.yml" <<'YAML'
- hosts: all
  gather_facts: false
  tasks:
    - name: root's home is there
      file:
        path: /root
        state: directory
    - name: the OS is the one we know
      stat:
        path: /etc/os-release
    - name: a command that changes nothing
      command: "true"
      changed_when: false
YAML

for ((i = 0; i < loops; i++)); do timeout 120 sh -c 'while :; do :; done' & busy+=($!); done
started=$(date +%s)
# shellcheck disable=SC2086
within 240 run -i "$inv" -f 500 ${PACING_ARGS:-} --report "$work/report.json" converged.yml
took=$(( $(date +%s) - started ))
kill "${busy[@]}" 2>/dev/null; wait "${busy[@]}" 2>/dev/null; busy=()
reached=$(count '^[a-z0-9]+ +: ok=3 +changed=0 +unreachable=0 +failed=0 ')
check "under $loops busy loops, $reached of $hosts hosts reached in ${took} s (exit 0, none unreachable)" \
  "[ \$(rc) = 0 ] && [ $reached = $hosts ] && ! has UNREACHABLE"
retried=$(grep -E '^connect retries: ' "$work/out" | sed -E 's/.*\((.*)\)$/\1/')
echo "# connect retries: ${retried:-none}"
check "the JSON report gives every host its connect retries" \
  "python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))[\"hosts\"]; sys.exit(0 if len(h) == $hosts and all(x[\"connect_retries\"] >= 0 for x in h) else 1)' '$work/report.json'"

# A host with no sshd on its address: the fleet's addresses stop at .$hosts.
printf 'ghost ansible_host=127.0.74.%s ansible_port=2474 ansible_user=root\n' $((hosts + 1)) >"$work/ghost.ini"
started=$(date +%s%N)
within 60 exec -i "$work/ghost.ini" -v --connect-retries 1 -- true
ms=$(( ($(date +%s%N) - started) / 1000000 ))
check "a refused host, --connect-retries 1: tried twice, unreachable (exit 4), in ${ms} ms" \
  "[ \$(rc) = 4 ] && [ $ms -lt 10000 ] && [ \$(count 'connection refused by 127\.0\.74\.[0-9]+:2474 .*\(attempt 1 of 2\); trying again in') = 1 ] && has '^ghost \| unreachable \| .* \| 1 connect retry \| connection refused by .* \(after 2 attempts\)\$' && has '^connect retries: ghost 1 \(1 host, 1 retry\)\$'"
started=$(date +%s%N)
within 60 run -i "$work/ghost.ini" --report "$work/ghost.json" converged.yml
ms=$(( ($(date +%s%N) - started) / 1000000 ))
check "run: 3 attempts (--connect-retries' default 2) in ${ms} ms; the recap's line stays Ansible's, the next one says the retries" \
  "[ \$(rc) = 4 ] && [ $ms -lt 10000 ] && has '^ghost +: ok=0 +changed=0 +unreachable=1 +failed=0 ' && has '^connect retries: ghost 2 \(1 host, 2 retries\)\$' && has 'after 3 attempts' && grep -q '\"connect_retries\": 2' '$work/ghost.json'"
within 60 exec -i "$work/ghost.ini" --connect-retries 0 -- true
check "--connect-retries 0: one attempt, no retry said" "[ \$(rc) = 4 ] && ! has 'attempts\)' && ! has 'connect retr'"
finish
