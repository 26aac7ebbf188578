# Shared helpers of the shell integration tests. Source it, then set
# `work` (a scratch directory the test owns) and, for on(), `fleet` and `dir`
# (own_fleet sets them all for a test with its own fleet):
#
#   . "$(dirname "$0")/lib.sh"
#   own_fleet "$1" "$2"
#   fk run -i "$inv" book.yml        # fleetk8s ARGS: output in $work/out, status in $work/rc
#   check "name" "[ \$(rc) = 0 ] && has '^ok:'"
#   ...
#   finish                            # prints "# N passed, M failed"; exits non-zero on failures
#
# check() evaluates its condition here, so rc/has/count/on work inside it; on
# failure it prints the last lines of $work/out (FK_TAIL lines, default 40).
# fk() runs "$bin" from $work (so files a command writes next to the inventory
# or in the current directory land there, and its run folders and snapshots
# in $work/state: tests running side by side never share them) and appends the output to
# $work/all-output, which a test can search for secrets at the end.

passed=0 failed=0

# own_fleet BIN FLEET_SCRIPT: for a test that brings up its own fleet. Sets
# bin and fleet (absolute), work (a new scratch directory) and dir (the
# fleet's directory in it); at exit the fleet is taken down and work removed.
own_fleet() {
  bin=$(realpath "$1") fleet=$(realpath "$2")
  work=$(mktemp -d)
  dir=$work/fleet
  export XDG_STATE_HOME=$work/state  # run folders and snapshots: the test's own, never the runner's home
  trap '"$fleet" down "$dir" >/dev/null 2>&1; rm -rf "$work"' EXIT
}

# ha_inventory NET: the fleet's inventory ($dir/inventory.ini) with worker01
# and worker02 (127.0.NET.2 and .3) moved to the control planes, on stdout.
ha_inventory() {
  awk -v net="$1" '/^\[control_plane\]/ { print; getline; print
       print "worker01 ansible_host=127.0." net ".2"; print "worker02 ansible_host=127.0." net ".3"; next }
     /^worker0[12] / { next } { print }' "$dir/inventory.ini"
}

check() {  # check NAME 'SHELL CONDITION'
  if eval "$2"; then passed=$((passed + 1)); echo "ok - $1"
  else failed=$((failed + 1)); echo "FAILED - $1"; sed 's/^/    | /' "$work/out" 2>/dev/null | tail -"${FK_TAIL:-40}"; fi
}
fk() { (cd "$work" && XDG_STATE_HOME="$work/state" "$bin" "$@") >"$work/out" 2>&1; echo $? >"$work/rc"; cat "$work/out" >>"$work/all-output"; }
rc() { cat "$work/rc"; }
has() { grep -qE -- "$1" "$work/out"; }
count() { grep -cE -- "$1" "$work/out"; }
wait_for() {  # wait_for 'CONDITION' SECONDS: true once CONDITION holds (polled every 0.2 s), false after SECONDS
  local i
  for ((i = 0; i < $2 * 5; i++)); do eval "$1" && return 0; sleep 0.2; done
  return 1
}
on() { local h=$1; shift; "$fleet" exec "$dir" "$h" -- "$@" 2>/dev/null; }  # on HOST CMD...: runs CMD on a sandbox host
finish() {
  echo "# $passed passed, $failed failed"
  [ "$failed" = 0 ]
}
