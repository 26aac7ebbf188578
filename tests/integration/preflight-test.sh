#!/usr/bin/env bash
# Preflight that agrees with kubeadm, and the wait for Ready nodes told as
# progress, end to end on a sandbox fleet of its own (cp1 + worker01 on net
# 95, port 2495) set up as Vagrant+VirtualBox VMs are: eth0 is NAT with the
# same MAC on every VM and carries the default route, eth1 is the private
# network each host's node_ip lives on.
#   - the same MAC on the node interface (eth1) stops up: exit 5, nothing changed;
#   - the same product_uuid stops up likewise;
#   - a host name that does not resolve is kubeadm's [WARNING Hostname]: the
#     run goes on (exit 0, both nodes Ready), and the equal eth0 MACs are fine;
#   - a node that is not Ready yet is told as "1/2 nodes Ready; waiting for
#     worker01: NotReady, <the Ready condition's message>", never as
#     FAILED - RETRYING lines.
# Usage: preflight-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
set -uo pipefail
. "$(dirname "$0")/lib.sh"
own_fleet "$1" "$2"  # bin, fleet, work, dir: the fleet taken down and work removed at exit

"$fleet" up --net 95 --port 2495 2 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
inv=$work/inventory.ini
sed -e 's/^cp1 .*/& node_ip=127.1.95.1/' -e 's/^worker01 .*/& node_ip=127.1.95.2/' "$dir/inventory.ini" >"$inv"

# hw HOST KEY=VALUE...: the host's simulated hardware (/etc/sandbox/hardware), then a reboot.
hw() {
  local h=$1 kv
  shift
  for kv; do on "$h" sed -i "s/^${kv%%=*}=.*/$kv/" /etc/sandbox/hardware; done
  "$fleet" stop-host "$dir" "$h" >/dev/null && "$fleet" start-host "$dir" "$h" >/dev/null
}
nat_mac=52:54:00:4d:00:01
hw cp1 mac=$nat_mac eth1_mac=08:00:27:00:00:11 eth1_ip=127.1.95.1
hw worker01 mac=$nat_mac eth1_mac=08:00:27:00:00:11 eth1_ip=127.1.95.2 product_uuid=8e4b1d2c-5a3f-4e6b-9c7d-000000000001

untouched() {  # nothing of prepare.yml happened anywhere
  ! has '^changed:' && [ "$(on cp1 getenforce)" = Enforcing ] && ! on worker01 test -e /etc/yum.repos.d/kubernetes.repo
}

fk up "$inv"
check "the same MAC on the node interface (node_ip's eth1) stops up: exit 5" \
  "[ \$(rc) = 5 ] && has '^preflight: 2 errors$' && has '^  \[ERROR mac\] cp1, worker01: same MAC address of the node interface 08:00:27:00:00:11 \(eth1\)'"
check "the same product_uuid stops it too, in the same report" \
  "has '^  \[ERROR product-uuid\] cp1, worker01: same product_uuid 8e4b1d2c-5a3f-4e6b-9c7d-000000000001'"
check "the equal NAT MACs of eth0 are not a problem" "! has '$nat_mac'"
check "nothing was changed" "untouched && has 'nothing was changed; fix the errors'"

hw worker01 eth1_mac=08:00:27:00:00:12
fk up "$inv"
check "product_uuid alone still stops up: exit 5, nothing changed" \
  "[ \$(rc) = 5 ] && [ \$(count '\[ERROR ') = 1 ] && has '\[ERROR product-uuid\]' && untouched"

hw worker01 product_uuid=8e4b1d2c-5a3f-4e6b-9c7d-000000000002
on worker01 sed -i '/ worker01$/d' /etc/hosts
fk up "$inv"
check "an unresolvable host name is kubeadm's warning and the run goes on: exit 0, both nodes Ready" \
  "[ \$(rc) = 0 ] && has '^  \[WARNING Hostname\] worker01: hostname \"worker01\" could not be reached' && has '^preflight: 1 warning$' && has '^no errors: going on' && has 'every node is Ready \(2\)'"
check "the cluster uses the node addresses on eth1" "grep -q 'server: https://127.1.95.1:6443' '$work/kubernetes.kubeconfig' && [ \$(on cp1 kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes --no-headers | grep -c ' Ready ') = 2 ]"
check "nodes Ready at once: one line says so, no FAILED - RETRYING" "has '^every node is Ready \(2\)$' && ! has 'nodes Ready' && ! has 'RETRYING'"

# A worker whose kubelet is stopped: the run waits and says why, until the
# kubelet runs again (started here once that line was printed).
on worker01 systemctl stop kubelet
( for _ in $(seq 120); do grep -q 'waiting for worker01' "$work/out" 2>/dev/null && break; sleep 0.5; done
  on worker01 systemctl start kubelet ) &
waiter=$!
fk up "$inv"
wait "$waiter"
check "a NotReady node is told with its Ready condition's message, then the run ends Ready" \
  "[ \$(rc) = 0 ] && has '^1/2 nodes Ready; waiting for worker01: NotReady, Kubelet stopped posting node status\.$' && has 'every node is Ready \(2\)'"
check "progress is printed when it changes, not at every poll" "[ \$(count 'nodes Ready') = 1 ] && ! has 'RETRYING'"

finish
