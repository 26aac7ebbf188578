#!/usr/bin/env bash
# Highly available control planes end to end on its own 3+2 fleet (net 79):
# `up` with three control planes and no control_plane_endpoint gives every
# node the node-local endpoint (haproxy at 127.0.0.1:7443 listing the three
# API servers), joins the other two control planes (etcd 3 members), and a
# second run changes nothing. The first control plane stopped: kubectl
# through a worker's endpoint still works, `check` names the dead etcd member
# (another control plane stands in), removing a healthy control plane is
# refused (etcd would lose its quorum), the dead one is removed with --force
# (member removed, endpoints updated, Node deleted); marked absent, check is
# clean; the last control planes are refused; certificates are read on each.
# Usage: ha-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
set -uo pipefail
. "$(dirname "$0")/lib.sh"
own_fleet "$1" "$2"  # bin, fleet, work, dir: the fleet taken down and work removed at exit

"$fleet" up --net 79 --port 2479 5 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
# cp1, worker01 and worker02 are the control planes; worker03 and worker04 the workers.
inv=$work/ha.ini
ha_inventory 79 >"$inv"
members() {  # MEMBERS on HOST: etcd's members as etcdctl's table names them, sorted
  on "$1" sh -c 'id=$(crictl ps --name "^etcd$" --state running -q | head -n 1)
crictl exec "$id" etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key member list -w simple' |
    awk -F', ' '{ print $3 }' | sort | tr '\n' ' '
}
servers() { on "$1" sh -c "grep -o '^    server [a-z0-9]*' /etc/haproxy/haproxy.cfg | cut -d' ' -f6 | tr '\n' ' '"; }

fk up "$inv"
check "up: three control planes joined (etcd members cp1 worker01 worker02), two workers, every node Ready" \
  "[ \$(rc) = 0 ] && has 'join endpoint 127.0.0.1:7443' && [ \"\$(members cp1)\" = 'cp1 worker01 worker02 ' ] && [ \$(on worker01 kubectl get nodes --no-headers | grep -c ' Ready ') = 5 ]"
check "root's kubectl works on each control plane" "on worker02 kubectl get nodes >/dev/null && on worker01 kubectl get nodes >/dev/null"
check "every node's endpoint: haproxy at 127.0.0.1:7443 listing the three API servers; kubelets use it" \
  "[ \"\$(servers worker04)\" = 'cp1 worker01 worker02 ' ] && [ \"\$(servers cp1)\" = 'cp1 worker01 worker02 ' ] && on worker03 grep -q 'server: https://127.0.0.1:7443' /etc/kubernetes/kubelet.conf && on worker02 systemctl is-active -q haproxy"
fk up "$inv"
check "up again: nothing changes" "[ \$(rc) = 0 ] && ! has 'changed: ' && ! has 'changed=[1-9]'"
fk check "$inv"
check "check: converged, every API server running, 3 of 3 etcd members healthy" \
  "[ \$(rc) = 0 ] && has '^control planes: API servers running on cp1, worker01, worker02; etcd members .*: 3 of 3 healthy \(quorum 2\)$'"
fk certs "$inv"
check "certs: each control plane's certificates" "[ \$(rc) = 0 ] && has '^cp1:$' && has '^worker01:$' && has '^worker02:$' && ! has '^worker03:$'"

"$fleet" stop-host "$dir" cp1 >/dev/null
sleep 5  # haproxy marks cp1 down after two failed checks, 2 s apart
check "cp1 stopped: kubectl through worker03's node-local endpoint still works" \
  "on worker03 kubectl --kubeconfig /etc/kubernetes/kubelet.conf get nodes --no-headers | grep '^worker04 ' >/dev/null"
fk check "$inv"
check "check: another control plane stands in; cp1's etcd member named unhealthy (exit 3)" \
  "[ \$(rc) = 3 ] && has 'the first control plane cp1 is unreachable: worker01, a control plane of the cluster, stands in' && has '2 of 3 healthy \(quorum 2\)' && has '^fleetk8s check: cp1: its etcd member cp1 \([0-9a-f]+, https://127.0.79.1:2379\) is unhealthy'"

fk remove "$inv" worker02 --yes
check "removing a healthy control plane while cp1 is dead: refused, etcd would lose its quorum (exit 5), nothing changed" \
  "[ \$(rc) = 5 ] && has 'etcd would be left without its quorum: etcd keeps 2 members \(1 healthy; quorum 2\)' && [ \"\$(members worker01)\" = 'cp1 worker01 worker02 ' ] && on worker01 kubectl get node worker02 >/dev/null"
fk remove "$inv" cp1 --yes
check "the dead cp1 without --force: refused (exit 4)" "[ \$(rc) = 4 ] && has 'cp1: unreachable \(needs --force\)'"
fk remove "$inv" cp1 --yes --force
check "the dead cp1 with --force: etcd member removed by worker01, Node deleted, endpoints list the two others (exit 0)" \
  "[ \$(rc) = 0 ] && has '^cp1: etcd member [0-9a-f]+ removed$' && [ \"\$(members worker01)\" = 'worker01 worker02 ' ] && ! on worker01 kubectl get node cp1 >/dev/null 2>&1 && [ \"\$(servers worker04)\" = 'worker01 worker02 ' ] && [ \"\$(servers worker02)\" = 'worker01 worker02 ' ]"
check "kubectl through worker04's endpoint works" "on worker04 kubectl --kubeconfig /etc/kubernetes/kubelet.conf get nodes --no-headers | grep '^worker03 ' >/dev/null"

sed -i 's/^cp1 .*/& fleetk8s_state=absent/' "$inv"
fk check "$inv"
check "cp1 marked absent: check is clean (2 of 2 members healthy)" "[ \$(rc) = 0 ] && has '2 of 2 healthy \(quorum 2\)' && has 'converged: nothing would change'"
fk remove "$inv" worker01 worker02 --yes
check "the last control planes: refused (exit 1)" "[ \$(rc) = 1 ] && has 'worker01, worker02: the last control planes: expected at least one control plane to stay'"
fk up "$inv"
check "up with cp1 absent: says so" "[ \$(rc) = 0 ] && has 'cp1: fleetk8s_state=absent: left out'"
fk up "$inv"
check "up again: nothing changes" "[ \$(rc) = 0 ] && ! has 'changed=[1-9]'"

finish
