#!/usr/bin/env bash
# `fleetk8s remove` on its own 1+3 fleet (net 89): what it refuses (no
# confirmation, the last control plane, a name the inventory lacks, an invalid
# fleetk8s_state, a drain a PodDisruptionBudget forbids, an unreachable node
# without --force), each changing nothing; a worker removed in kubeadm's
# order (drain, kubeadm reset, delete the Node) with its pod running again
# elsewhere; a second remove that is a no-op; fleetk8s_state=absent keeping
# it out of the next up; a dead worker removed with --force.
# Usage: remove-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
set -uo pipefail
. "$(dirname "$0")/lib.sh"
own_fleet "$1" "$2"  # bin, fleet, work, dir: the fleet taken down and work removed at exit

"$fleet" up --net 89 --port 2489 4 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
inv=$dir/inventory.ini
fk up "$inv"
check "the cluster is up: 4 nodes" "[ \$(rc) = 0 ] && [ \$(on cp1 kubectl get nodes --no-headers | wc -l) = 4 ]"
nodes() { on cp1 kubectl get nodes --no-headers | awk '{ print $1, $2 }' | tr '\n' ' '; }

fk remove "$inv" worker03 </dev/null
check "no --yes and no terminal to ask on: not confirmed, exit 1" "[ \$(rc) = 1 ] && has 'not confirmed \(use --yes'"
fk remove "$inv" cp1 --yes
check "the last control plane is refused (exit 1)" "[ \$(rc) = 1 ] && has 'cp1: the last control plane: expected at least one control plane to stay'"
fk remove "$inv" worker09 --yes
check "a name the inventory lacks is refused (exit 1)" "[ \$(rc) = 1 ] && has 'worker09: expected a node of the inventory'"
sed 's/^worker01 .*/& fleetk8s_state=gone/' "$inv" >"$work/bad.ini"
fk remove "$work/bad.ini" worker03 --yes
check "fleetk8s_state other than present/absent: bad input naming the file and line" "[ \$(rc) = 1 ] && has 'bad\.ini:[0-9]+: worker01: fleetk8s_state is \"gone\": expected present or absent'"

# A web server on worker03 (the others cordoned while it is scheduled), a
# single-replica database guarded by minAvailable: 1 on worker01.
on cp1 sh -c 'cat >/root/db.yaml' <"$(dirname "$0")/../data/k8s/db-guarded.yaml"
on cp1 sh -c 'cat >/root/apps.yaml <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: "nginx:1.27"}]}
EOF
kubectl cordon worker01 worker02 && kubectl apply -f /root/apps.yaml && kubectl uncordon worker01 worker02 &&
kubectl cordon worker02 worker03 && kubectl apply -f /root/db.yaml && kubectl uncordon worker02 worker03' >/dev/null
pod_node() { on cp1 kubectl get pods -l "app=$1" -o 'jsonpath={.items[0].spec.nodeName}'; }
check "web runs on worker03, db on worker01" "[ \"\$(pod_node web)\" = worker03 ] && [ \"\$(pod_node db)\" = worker01 ]"
before=$(nodes)

fk remove "$inv" worker01 --yes
check "a drain the budget forbids: exit 5, the pod named, nothing changed" "[ \$(rc) = 5 ] && has '^  drain: worker01: pod default/db-[a-z0-9-]+: Cannot evict pod as it would violate' && [ \"\$(nodes)\" = \"\$before\" ] && on worker01 test -e /etc/kubernetes/kubelet.conf"

fk remove "$inv" worker03 --yes --report "$work/r.json"
check "remove worker03: exit 0, the plan says drain, kubeadm reset, delete the Node" "[ \$(rc) = 0 ] && has '^  worker03: drain, kubeadm reset, delete the Node worker03$' && has '^worker03: removed \(drained, kubeadm reset, Node deleted\)$'"
order=$(grep -E '^== \[[0-9]/[0-9]\]' "$work/out" | sed 's/^== \[[0-9]\/[0-9]\] //' | tr '\n' '|')
check "kubeadm's order: plan, lock, drain, reset (the kubelet stopped), then the Node deleted" "[ \"\$order\" = \"Plan the removal|Take the cluster's run lock|Drain the nodes that leave|Take the control planes that leave out of the node-local endpoints: no node-local endpoints|Reset Kubernetes on the nodes that leave|Remove the etcd members left behind: no etcd member leaves|Delete the Node objects|\" ]"
check "the Node is gone, worker03 reset, web running again on another node" "! on cp1 kubectl get nodes | grep worker03 >/dev/null && ! on worker03 test -e /etc/kubernetes/kubelet.conf && [ -n \"\$(pod_node web)\" ] && [ \"\$(pod_node web)\" != worker03 ] && on cp1 kubectl get pods -l app=web --no-headers | grep ' Running ' >/dev/null"
check "the message says the host is still in the inventory and how to keep it out" "has 'worker03: still in the inventory: remove it, or mark it fleetk8s_state=absent'"
check "--report: worker03's timeline" "python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); t=[m[\"what\"] for h in r[\"hosts\"] if h[\"name\"]==\"worker03\" for m in h[\"timeline\"]]; sys.exit(t!=[\"drained\",\"kubeadm reset\",\"Node deleted\"])' '$work/r.json'"

fk remove "$inv" worker03 --yes
check "removing it again: a no-op that says so (exit 0)" "[ \$(rc) = 0 ] && has 'worker03: already removed \(no Node worker03, not joined, no etcd member\): nothing to do' && ! has 'Drain the nodes'"

sed 's/^worker03 .*/& fleetk8s_state=absent/' "$inv" >"$work/absent.ini"
fk up "$work/absent.ini"
check "up with worker03 marked absent: says so, does not join it, exit 0" "[ \$(rc) = 0 ] && has '^worker03: fleetk8s_state=absent: left out of the cluster' && ! on worker03 test -e /etc/kubernetes/kubelet.conf && [ \$(on cp1 kubectl get nodes --no-headers | wc -l) = 3 ]"
fk check "$work/absent.ini"
check "check with worker03 marked absent: converged (exit 0)" "[ \$(rc) = 0 ]"

# A dead worker.
"$fleet" stop-host "$dir" worker02 >/dev/null
fk remove "$work/absent.ini" worker02 --yes --connect-timeout 3
check "an unreachable worker without --force: exit 4, nothing changed" "[ \$(rc) = 4 ] && has 'unreachable: worker02: nothing was changed \(--force' && on cp1 kubectl get nodes | grep '^worker02 ' >/dev/null"
fk remove "$work/absent.ini" worker02 --yes --force --connect-timeout 3
check "--force: its Node deleted, exit 0, what stays on the host said" "[ \$(rc) = 0 ] && ! on cp1 kubectl get nodes | grep '^worker02 ' >/dev/null && has 'worker02: its Node is deleted; the host was unreachable, so what ran there stays' && has 'fleetk8s reset INVENTORY --limit worker02'"
check "the database still runs; no node left cordoned" "on cp1 kubectl get pods -l app=db --no-headers | grep ' Running ' >/dev/null && ! on cp1 kubectl get nodes | grep SchedulingDisabled >/dev/null"

finish
