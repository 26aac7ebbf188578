#!/usr/bin/env bash
# `fleetk8s exec` end to end against the sandbox fleet, as a user runs it.
# Usage: cli-exec-test.sh FLEETK8S_BIN SANDBOX_DIR SANDBOX_FLEET_SCRIPT
set -uo pipefail
bin=$(realpath "$1") dir=$(realpath "$2") fleet=$3
inv=$dir/inventory.ini
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"

fk exec -i "$inv" -- hostname
check "all hosts succeed: exit 0" "[ \$(rc) = 0 ]"
check "each host's output is prefixed by its name" "has '^cp1 \| cp1$' && has '^worker03 \| worker03$'"
check "summary counts the hosts" "has '^ok: 4 hosts$'"

fk exec -i "$inv" --limit 'workers:!worker02' -- hostname
check "--limit selects hosts" "[ \$(count '\| ok \|') = 2 ] && ! has cp1"

fk exec -i "$inv" -- 'for i in 1 2 3; do echo line$i; sleep 0.1; done'
check "output is grouped per host, never interleaved" "python3 -c '$(cat <<'PY'
import sys
lines = [l for l in open(sys.argv[1]) if " | line" in l]
hosts = [l.split(" ")[0] for l in lines]
blocks = [h for i, h in enumerate(hosts) if i == 0 or hosts[i - 1] != h]
sys.exit(0 if len(lines) == 12 and len(blocks) == len(set(blocks)) == 4 else 1)
PY
)' $work/out"

fk exec -i "$inv" -- '[ "$(hostname)" = worker01 ] && { echo bad >&2; exit 3; }; true'
check "a failing host gives exit 2" "[ \$(rc) = 2 ]"
check "the failure is named with its exit status" "has '^  worker01: exit status 3$'"
check "stderr is shown with the host name" "has '^worker01 ! bad$'"

"$fleet" stop-host "$dir" worker02 >/dev/null
fk exec -i "$inv" --connect-timeout 5 -- hostname
"$fleet" start-host "$dir" worker02 >/dev/null
check "an unreachable host gives exit 4" "[ \$(rc) = 4 ]"
check "the unreachable host is named with the reason" "has '^  worker02: connection refused by 127\.0\.77\.[0-9]+:[0-9]+'"
check "the other hosts still ran" "[ \$(count '\| ok \|') = 3 ]"

fk exec -i "$inv" --timeout 1e300 -- hostname
check "a --timeout past a week is refused before any connection" \
  "[ \$(rc) != 0 ] && has '^--timeout: expected seconds, from 0 to 604800; got 1e300$' && ! has '\| ok \|'"
fk exec -i "$inv" --connect-timeout 1e300 -- hostname
check "a --connect-timeout past an hour is refused before any connection" \
  "[ \$(rc) != 0 ] && has '^--connect-timeout: expected seconds, more than 0 and at most 3600; got 1e300$' && ! has '\| ok \|'"

fk exec -i "$inv" --timeout 1 -- 'sleep 10'
check "a command over --timeout fails the host" "[ \$(rc) = 2 ] && has 'command timed out after 1 s'"

# become: deploy has passwordless sudo, ops needs its password.
sed 's/^ansible_user=root$/ansible_user=deploy/' "$inv" >"$work/deploy.ini"
fk exec -i "$work/deploy.ini" --limit cp1 --become -- id -un
check "become as deploy runs as root" "has '^cp1 \| root$'"

sed 's/^ansible_user=root$/ansible_user=ops/' "$inv" >"$work/ops.ini"
echo 'ops-sandbox-pw' >"$work/become-pass"
"$bin" exec -i "$work/ops.ini" --limit cp1 --become --become-password-file "$work/become-pass" -- 'sleep 1; id -un' \
  >"$work/out" 2>&1 &
pid=$!
sleep 0.5
ps -eo args >"$work/ps"
wait $pid; echo $? >"$work/rc"
check "become with a password runs as root" "has '^cp1 \| root$'"
check "the become password is in no process listing" "! grep -q ops-sandbox-pw $work/ps"
check "the become password is not printed" "! has ops-sandbox-pw"

fk exec -i "$work/ops.ini" --limit cp1 --become -- id -un
check "sudo without a password is explained" "[ \$(rc) = 2 ] && has 'sudo needs a password'"

fk exec -i "$dir/no-such-inventory.ini" -- true
check "a missing inventory is a clear error, exit 1" "[ \$(rc) = 1 ] && has 'no-such-inventory.ini'"

printf '[web\nhost1\n' >"$work/bad.ini"
fk exec -i "$work/bad.ini" -- true
check "a bad inventory names file and line, exit 1" "[ \$(rc) = 1 ] && has 'bad.ini:1:'"

fk exec -i "$inv" --limit nosuchhost -- true
check "a limit that matches nothing is an error" "[ \$(rc) = 1 ] && has nosuchhost"

finish
