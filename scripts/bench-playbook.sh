#!/usr/bin/env bash
# Benchmark: re-running a converged 25-task OS-preparation playbook
# (tests/data/playbooks/bench-converge.yml, facts gathered) with `fleetk8s run`
# and with ansible-playbook on N sandbox hosts: median wall time, controller CPU
# and peak controller memory (whole process tree, scripts/lib/measure.py) of
# each, and their ratio. The fleet is first converged once with ansible-playbook;
# both tools' re-runs must then report changed=0 on every host (checked and
# printed before timing).
#
# Usage: scripts/bench-playbook.sh [RUNS] [SIZES...]   (default: 5 runs, 50 hosts; e.g. 3 50 200)
# Environment: BENCH_PORT (sshd port of the fleet, default 2400), BENCH_DIR (fleet
# directory, default /tmp/fleetk8s-bench-playbook), FLEETK8S (binary, default
# build/src/cli/fleetk8s; this script does not build it), BENCH_ANSIBLE_UPTO
# (largest fleet ansible-playbook is measured on, default 50: at 200 hosts one
# Ansible run takes most of an hour on a 2-core machine), BENCH_CONVERGE=fleetk8s
# (converge the fresh fleet with fleetk8s instead of ansible-playbook: minutes
# faster; Ansible's measured re-runs must still report changed=0).
#
# Parallelism: fleetk8s --forks N (every host at once, as bench-exec.sh);
# ansible-playbook forks 50 (its usual large-fleet setting), pipelining on,
# ControlPersist 120s (masters stay warm between runs; being daemons they are
# not in the measured process tree). Ansible needs the sandbox shims of
# tests/data/ansible-sandbox (python3-dnf, libselinux bindings, /proc/modules,
# /proc/1/comm and the network are missing on sandbox hosts).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}; shift || true
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(50); fi
bin=${FLEETK8S:-$root/build/src/cli/fleetk8s}
measure=$root/scripts/lib/measure.py
playbook_dir=$root/tests/data/playbooks
playbook=bench-converge.yml
dir=${BENCH_DIR:-/tmp/fleetk8s-bench-playbook}
port=${BENCH_PORT:-2400}
ansible_forks=50
ansible_upto=${BENCH_ANSIBLE_UPTO:-50}
work=$(mktemp -d /tmp/fk-benchpb.XXXXXX)
# shellcheck source=lib/ansible-sandbox.sh
. "$root/scripts/lib/ansible-sandbox.sh"
trap '"$root/scripts/sandbox-fleet" down "$dir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# recap FILE: one line summing a PLAY RECAP; returns 1 unless every host has
# changed=0 failed=0 unreachable=0.
recap() {
  awk '/^[^ ]+ +: ok=[0-9]+/ {
         n++; for (i = 3; i <= NF; i++) { split($i, kv, "="); sum[kv[1]] += kv[2]; if (kv[1] != "ok" && kv[1] != "skipped" && kv[2] > 0) bad[$1] = bad[$1] " " $i }
       }
       END {
         if (n == 0) { print "no host lines in its PLAY RECAP"; exit 3 }
         printf "%d hosts, ok=%d changed=%d unreachable=%d failed=%d skipped=%d rescued=%d ignored=%d", n, sum["ok"], sum["changed"], sum["unreachable"], sum["failed"], sum["skipped"], sum["rescued"], sum["ignored"]
         k = 0; for (h in bad) { if (k++ < 5) printf "\n    %s:%s", h, bad[h] }
         if (k > 5) printf "\n    ... and %d more hosts", k - 5
         print ""; exit (sum["changed"] + sum["failed"] + sum["unreachable"] > 0)
       }' "$1"
}

field() {  # field LINE median|rss: a number out of a measure.py line
  case $2 in
    median) sed -n 's/.*: median \([0-9.]*\) s.*/\1/p' <<<"$1" ;;
    rss) sed -n 's/.*peak tree RSS \([0-9.]*\) MB.*/\1/p' <<<"$1" ;;
  esac
}

ansible_sandbox_need_collections
ansible_sandbox_config "$work" "$ansible_forks"
ansible_cmd=(ansible-playbook -i "$dir/inventory.ini" "$playbook")

for n in "${sizes[@]}"; do
  "$root/scripts/sandbox-fleet" down "$dir" >/dev/null 2>&1 || true
  "$root/scripts/sandbox-fleet" up --port "$port" "$n" "$dir" >/dev/null
  ansible_sandbox_install_shims "$dir"
  fleetk8s_cmd=("$bin" run -i "$dir/inventory.ini" "$playbook" --forks "$n")
  echo "== $n hosts, playbook $playbook ($(grep -c '^    - name:' "$playbook_dir/$playbook") tasks + fact gathering); fleetk8s --forks $n, ansible-playbook forks $ansible_forks"
  cd "$playbook_dir"
  # BENCH_CONVERGE=fleetk8s converges with fleetk8s (minutes faster); the
  # ansible-playbook re-run below must then still report changed=0.
  converge_cmd=("${ansible_cmd[@]}")
  [ "${BENCH_CONVERGE:-ansible}" = fleetk8s ] && converge_cmd=("${fleetk8s_cmd[@]}")
  if ! "${converge_cmd[@]}" >"$work/converge.out" 2>&1; then
    echo "converging with ${converge_cmd[0]##*/} failed:"; grep -E 'fatal|FAILED|ERROR' "$work/converge.out" | head -10 || tail -20 "$work/converge.out"
    exit 1
  fi
  echo "converge (${converge_cmd[0]##*/}): $(recap "$work/converge.out" | head -1)"
  # Each tool's recap is checked on the output of its own last measured run
  # (measure.py --output), so no untimed extra run of Ansible is needed.
  a_line=""
  if [ "$n" -le "$ansible_upto" ]; then
    a_line=$(python3 "$measure" --output "$work/ansible.out" "ansible-playbook ($n hosts)" "$runs" -- "${ansible_cmd[@]}")
    echo "$a_line"
    if out=$(recap "$work/ansible.out"); then
      echo "  its recap: $out  -> changed=0 on every host"
    else
      echo "  its recap is NOT converged: $out"; exit 1
    fi
  else
    echo "ansible-playbook: not measured at $n hosts (BENCH_ANSIBLE_UPTO=$ansible_upto)"
  fi
  f_line=$(python3 "$measure" --output "$work/fleetk8s.out" "fleetk8s run     ($n hosts)" "$runs" -- "${fleetk8s_cmd[@]}")
  echo "$f_line"
  if out=$(recap "$work/fleetk8s.out"); then
    echo "  its recap: $out  -> changed=0 on every host"
  else
    echo "  its recap is NOT converged: $out"
    grep -E '^(changed|fatal|failed):' "$work/fleetk8s.out" | sed 's/ =>.*//' | sort | uniq -c | sort -rn | head -5 || true
    exit 1
  fi
  if [ -n "$a_line" ]; then
    awk -v a="$(field "$a_line" median)" -v f="$(field "$f_line" median)" \
        -v am="$(field "$a_line" rss)" -v fm="$(field "$f_line" rss)" \
        'BEGIN { printf "ratio ansible-playbook / fleetk8s: wall %.1fx, peak memory %.1fx\n", a / f, am / fm }'
  fi
  cd "$root"
done
