#!/usr/bin/env bash
# The main job on the built-in sandbox fleet: builds fleetk8s, brings up a
# fleet of 1 control-plane + 3 worker hosts (real sshd processes, each with
# its own private view of the system and stand-ins for dnf, systemctl,
# kubeadm, ...), installs Kubernetes with CRI-O on it (`fleetk8s up`), runs
# it again (nothing changes), checks it for drift, shows the nodes, and tears
# the fleet down again (--keep leaves it running).
# FLEET_DIR (default /tmp/fleetk8s-demo), FLEET_NET and FLEET_PORT (sandbox-fleet
# up --net/--port; default 127.0.77.x:2222) place the fleet, e.g. beside another one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
keep=false
[ "${1:-}" = "--keep" ] && keep=true
# Its own build directory: an optimised binary without debug information and
# without the test suite (scripts/test.sh builds ./build with both).
BUILD_DIR=$root/build-demo BUILD_TYPE=Release FLEETK8S_BUILD_TESTS=OFF "$root/scripts/build.sh" fleetk8s >/dev/null
bin=$root/build-demo/src/cli/fleetk8s
fleet=${FLEET_DIR:-/tmp/fleetk8s-demo}
"$root/scripts/sandbox-fleet" down "$fleet" >/dev/null 2>&1 || true
rm -f "$fleet/kubernetes.kubeconfig"   # the last demo's: up takes only an empty directory
"$root/scripts/sandbox-fleet" up ${FLEET_NET:+--net "$FLEET_NET"} ${FLEET_PORT:+--port "$FLEET_PORT"} 4 "$fleet"
$keep || trap '"$root/scripts/sandbox-fleet" down "$fleet"' EXIT
inv=$fleet/inventory.ini
cd "$fleet"

step() { echo; echo "\$ $*"; "$@"; }
step "$bin" up "$inv"
echo; echo "--- the same command again: a converged fleet changes nothing"
step "$bin" up "$inv" | tail -6
step "$bin" check "$inv" | tail -7
step "$root/scripts/sandbox-fleet" exec "$fleet" cp1 -- kubectl get nodes -o wide
echo; echo "Admin kubeconfig: $fleet/kubernetes.kubeconfig"
$keep && echo && echo "The fleet keeps running: inventory $inv; stop it with: scripts/sandbox-fleet down $fleet"
exit 0
