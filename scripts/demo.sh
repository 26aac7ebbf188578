#!/usr/bin/env bash
# The main job on the built-in sandbox fleet: builds fleetk8s, brings up a
# fleet of 1 control-plane + 3 worker hosts (real sshd processes, each with
# its own private view of the system), runs commands on all of them at once,
# and tears the fleet down again (--keep leaves it running).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
keep=false
[ "${1:-}" = "--keep" ] && keep=true
"$root/scripts/build.sh" >/dev/null
bin=$root/build/src/cli/fleetk8s
fleet=${FLEET_DIR:-/tmp/fleetk8s-demo}
"$root/scripts/sandbox-fleet" up 4 "$fleet"
$keep || trap '"$root/scripts/sandbox-fleet" down "$fleet"' EXIT
inv=$fleet/inventory.ini

echo; echo "\$ fleetk8s exec -i $inv -- 'hostname; . /etc/os-release; echo \$PRETTY_NAME'"
"$bin" exec -i "$inv" -- 'hostname; . /etc/os-release; echo $PRETTY_NAME'
echo; echo "\$ fleetk8s exec -i $inv --limit workers --become -- id -un"
"$bin" exec -i "$inv" --limit workers --become -- id -un
$keep && echo && echo "The fleet keeps running: inventory $inv; stop it with: scripts/sandbox-fleet down $fleet"
exit 0
