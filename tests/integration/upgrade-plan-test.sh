#!/usr/bin/env bash
# `fleetk8s upgrade --plan` on its own 1+2 fleet (net 96) at Kubernetes 1.33:
# the plan's steps, order and batches, what it refuses (downgrades, releases
# the repositories lack, the rollout without --plan), a PodDisruptionBudget
# that would block a drain found by the server-side dry run, and nothing
# changed anywhere by any of it.
# Usage: upgrade-plan-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
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

fk upgrade "$inv" --to 1.34
check "upgrade without --plan: refused, bad input (the rollout is not built yet)" "[ \$(rc) = 1 ] && has 'only --plan is available'"

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

finish
