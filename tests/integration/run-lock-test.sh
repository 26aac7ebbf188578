#!/usr/bin/env bash
# The cluster's run lock end to end on a sandbox fleet of 1 control plane +
# 1 worker (its own, net 85): two concurrent `up` runs (one runs, the other
# exits 6 naming the holder, nothing is corrupted), a lock held elsewhere
# (exit 6 at once; check still runs; --wait-lock waits and then takes the
# stale lock over), and a killed run whose stale lock the next run takes over.
# Usage: run-lock-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
set -uo pipefail
bin=$(realpath "$1") fleet=$(realpath "$2")
work=$(mktemp -d)
dir=$work/fleet
holder_pid=""
trap '[ -n "$holder_pid" ] && kill "$holder_pid" 2>/dev/null; "$fleet" down "$dir" >/dev/null 2>&1; rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"

"$fleet" up --net 85 --port 2485 2 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
inv=$dir/inventory.ini
lockdir=/var/lib/fleetk8s

# bg NAME ARGS...: fleetk8s ARGS in the background, output in $work/NAME.out,
# status in $work/NAME.rc; its pid in $last_pid.
bg() {
  local name=$1; shift
  ( cd "$work" && "$bin" "$@" >"$work/$name.out" 2>&1; echo $? >"$work/$name.rc" ) 2>/dev/null &
  last_pid=$!
}
# 1. Two runs at once on a fresh fleet: one converges, the other is refused.
bg a up "$inv"
bg b up "$inv"
wait
a=$(cat "$work/a.rc") b=$(cat "$work/b.rc")
cp "$work/a.out" "$work/out"; cat "$work/b.out" >>"$work/out"
check "two concurrent runs: one converges (0), the other is refused with 6" \
  "[ \"\$(printf '%s\n' $a $b | sort | tr '\n' ' ')\" = '0 6 ' ]"
check "the refused run names the holder (user@host, pid, command, start)" \
  "has \"another run holds the cluster's run lock on cp1: $(id -un)@$(hostname) \(pid [0-9]+, fleetk8s up, since 20[0-9-]+T[0-9:]+Z\); nothing was changed\""
check "the refused run changed nothing (it stopped after its read-only preflight)" \
  "[ \$(grep -c '^changed:' \"$work/\$( [ $a = 6 ] && echo a || echo b ).out\") = 0 ]"
check "a clean release removes the holder file, the lock file stays" \
  "! on cp1 test -e $lockdir/run.lock.holder && on cp1 test -e $lockdir/run.lock"
fk check "$inv"
check "the fleet is consistent afterwards: check finds nothing to change" "[ \$(rc) = 0 ] && has 'converged: nothing would change'"

# 2. A lock held by someone else (a shell on cp1, as a run from another
# machine would hold it).
"$fleet" exec "$dir" cp1 -- sh -c "exec 9>>$lockdir/run.lock; flock 9; printf 'user=alice\nhost=laptop\npid=4242\ncommand=up\nstarted=2026-11-26T04:10:00Z\n' >$lockdir/run.lock.holder; echo held; sleep 12" \
  >"$work/holder.out" 2>&1 &
holder_pid=$!
wait_for "grep -q held '$work/holder.out'" 20
fk up "$inv"
check "while another holds the lock: exit 6 at once, naming alice@laptop" \
  "[ \$(rc) = 6 ] && has 'alice@laptop \(pid 4242, fleetk8s up, since 2026-11-26T04:10:00Z\)' && ! has '^changed:'"
fk check "$inv"
check "check takes no lock: it runs while the lock is held" "[ \$(rc) = 0 ]"
start=$(date +%s)
fk up "$inv" --wait-lock 60s
waited=$(( $(date +%s) - start ))
check "--wait-lock waits for the holder, then runs (exit 0)" \
  "[ \$(rc) = 0 ] && has 'waiting up to 60 s for the run lock held by alice@laptop' && [ $waited -ge 3 ]"
check "the holder that never released is reported as a stale lock taken over" \
  "has 'took over a stale run lock on cp1: alice@laptop \(pid 4242'"
wait "$holder_pid" 2>/dev/null; holder_pid=""

# 3. A run killed mid-way leaves a stale lock; the next run takes it over.
on worker01 rm -f /etc/sysctl.d/99-kubernetes.conf  # some drift, so the run has work to do
bg killed up "$inv"
killed_pid=""
wait_for 'killed_pid=$(pgrep -P "$last_pid" | head -1); [ -n "$killed_pid" ]' 10
wait_for "on cp1 grep -q 'pid=$killed_pid' $lockdir/run.lock.holder" 30
kill -9 "$killed_pid"; wait
check "the killed run left its holder file behind" "on cp1 grep -q 'pid=$killed_pid' $lockdir/run.lock.holder"
fk up "$inv"
check "the next run takes the stale lock over (naming the killed run) and converges" \
  "[ \$(rc) = 0 ] && has \"took over a stale run lock on cp1: .*\(pid $killed_pid, fleetk8s up\" && has 'every node is Ready \(2\)'"
fk check "$inv"
check "after the takeover the fleet is converged" "[ \$(rc) = 0 ]"

finish
