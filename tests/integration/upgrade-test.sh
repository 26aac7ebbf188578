#!/usr/bin/env bash
# `fleetk8s upgrade` on its own 1+2 fleet (net 96) from Kubernetes 1.33: the
# plan's steps, order and batches, what it refuses (downgrades, releases the
# repositories lack, no confirmation), a PodDisruptionBudget that would block
# a drain found by the server-side dry run, nothing changed by any of it;
# then the rollout to 1.34 in kubeadm's order, each node drained before its
# kubelet changes, and a second run that changes nothing.
# Usage: upgrade-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
set -uo pipefail
bin=$(realpath "$1") fleet=$(realpath "$2")
work=$(mktemp -d)
dir=$work/fleet
trap '"$fleet" down "$dir" >/dev/null 2>&1; rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"

"$fleet" up --net 96 --port 2496 3 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
inv=$dir/inventory.ini
fk up "$inv"
check "the cluster is up at 1.33" "[ \$(rc) = 0 ] && on cp1 rpm -q kubeadm | grep -q '^kubeadm-1\.33\.'"
state() {  # what an upgrade would change: packages, the repository file, cordons, manifests
  for h in cp1 worker01 worker02; do on "$h" sh -c 'rpm -q kubelet kubeadm kubectl; md5sum /etc/yum.repos.d/kubernetes.repo'; done
  on cp1 sh -c 'kubectl get nodes --no-headers | awk "{ print \$1, \$2 }"; md5sum /etc/kubernetes/manifests/*.yaml'
}
before=$(state)

fk upgrade "$inv" --to 1.34 </dev/null
check "upgrade without --yes and no terminal to ask on: not confirmed, exit 1" "[ \$(rc) = 1 ] && has 'not confirmed \(use --yes'"

fk upgrade "$inv" --plan --to 1.34
check "--plan --to 1.34: exit 0, one step to the newest 1.34 patch the repository offers" "[ \$(rc) = 0 ] && has '^upgrade plan: the cluster runs 1\.33\.5 \(the API server on cp1\); target 1\.34$' && has '^  step 1 of 1: 1\.33\.5 -> 1\.34\.1 '"
check "the order: the first control plane, then the workers one at a time" "has '^    1\. cp1: kubeadm 1\.34\.1, kubeadm upgrade apply v1\.34\.1, drain' && has '^    2\. workers 1 at a time \(--max-unavailable 1\): \[worker01\] \[worker02\]: ' && has '^blockers: none$'"
fk upgrade "$inv" --plan --to 1.34 --max-unavailable 100%
check "--max-unavailable 100%: both workers in one batch" "[ \$(rc) = 0 ] && has '2 at a time \(--max-unavailable 100%\): \[worker01 worker02\]'"
fk upgrade "$inv" --plan -e kubernetes_version=1.33
check "the target from kubernetes_version: 1.33 is the newest 1.33 already" "[ \$(rc) = 0 ] && has 'target 1\.33: nothing to upgrade'"
fk upgrade "$inv" --plan --to 1.32
check "a downgrade is refused" "[ \$(rc) = 1 ] && has 'fleetk8s: --to 1\.32: the cluster runs 1\.33\.5; fleetk8s never downgrades'"
fk upgrade "$inv" --plan --to 1.34.7
check "a release the repository lacks is refused" "[ \$(rc) = 1 ] && has 'the Kubernetes 1\.34 repository has no release 1\.34\.7'"
fk upgrade "$inv" --plan --max-unavailable 0
check "--max-unavailable 0 is bad input" "[ \$(rc) = 1 ] && has 'max-unavailable 0: expected a number of workers'"
check "none of it changed anything: packages, repository files, cordons, manifests" "[ \"\$(state)\" = \"\$before\" ]"

# A single-replica database guarded by minAvailable: 1: no drain of its node can finish.
on cp1 sh -c 'cat >/root/db.yaml <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: postgres, image: "postgres:16"}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: db}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: db}}
EOF
kubectl apply -f /root/db.yaml' >/dev/null
db_node=$(on cp1 kubectl get pods -l app=db -o 'jsonpath={.items[0].spec.nodeName}')
before=$(state)
fk upgrade "$inv" --plan --to 1.34
check "a PodDisruptionBudget that forbids the eviction blocks the plan: exit 5, the node and the reason named" "[ \$(rc) = 5 ] && [ -n '$db_node' ] && has \"^  drain: $db_node: pod default/db-[a-z0-9-]+: Cannot evict pod as it would violate the pod's disruption budget\\.\\\$\" && has '^blockers \(1\): nothing may change'"
check "the dry run changed nothing: no node cordoned, the pod where it was" "[ \"\$(state)\" = \"\$before\" ] && [ \"\$(on cp1 kubectl get pods -l app=db -o 'jsonpath={.items[0].spec.nodeName}')\" = '$db_node' ]"


# The PodDisruptionBudget allows one pod down now: the upgrade itself, node by node.
on cp1 sh -c 'sed -i "s/minAvailable: 1/maxUnavailable: 1/" /root/db.yaml && kubectl apply -f /root/db.yaml' >/dev/null
fk upgrade "$inv" --to 1.34 --yes
check "upgrade --to 1.34: exit 0, every node at v1.34.1" "[ \$(rc) = 0 ] && has '^every node runs Kubernetes 1\.34\.1$' && [ \$(on cp1 kubectl get nodes --no-headers | grep -c ' v1\.34\.1\$') = 3 ]"
order=$(grep -E '^(cp1|worker0[12]): ' "$work/out" | sed 's/: kubeadm 1.34.1, kubeadm upgrade .*/: kubeadm/; s/: kubelet and kubectl .*/: kubelet/')
check "kubeadm's order: the control plane first, then each worker; each node drained before its kubelet changed" "[ \"\$(echo \"\$order\" | tr '\\n' ' ')\" = 'cp1: kubeadm cp1: drain cp1: kubelet cp1: at 1.34.1 worker01: kubeadm worker01: drain worker01: kubelet worker01: at 1.34.1 worker02: kubeadm worker02: drain worker02: kubelet worker02: at 1.34.1 ' ]"
check "afterwards: no node cordoned, the database running, every package at 1.34.1" "! on cp1 kubectl get nodes | grep -q SchedulingDisabled && on cp1 kubectl get pods -l app=db --no-headers | grep -q ' Running ' && for h in cp1 worker01 worker02; do on \$h rpm -q kubelet kubeadm kubectl | grep -c '1\.34\.1-' | grep -qx 3 || exit 1; done"
fk upgrade "$inv" --to 1.34 --yes
check "a second upgrade changes nothing" "[ \$(rc) = 0 ] && has 'target 1\.34: nothing to upgrade' && ! has '^changed:'"

finish
