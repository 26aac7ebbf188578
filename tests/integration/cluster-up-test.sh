#!/usr/bin/env bash
# `fleetk8s up` / `check` / `reset` / `kubeconfig` end to end on a sandbox
# fleet of 1 control plane + 3 workers (its own, on net 93; a fifth host is
# added to the inventory later), as an admin runs them: preflight, first
# install, re-runs that change nothing, drift found by check and fixed by up,
# a host added later with expired tokens, a reset worker that joins again,
# an unreachable worker, secrets never printed; a raised kubernetes_version
# never upgrades anything.
# Usage: cluster-up-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
set -uo pipefail
. "$(dirname "$0")/lib.sh"
own_fleet "$1" "$2"  # bin, fleet, work, dir: the fleet taken down and work removed at exit

"$fleet" up --net 93 --port 2393 --memory-mb worker01=1024 5 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
full=$dir/inventory.ini
three=$work/four.ini
grep -v '^worker04 ' "$full" >"$three"

fk up "$three"
check "preflight: a worker with too little memory stops the run with exit 5" "[ \$(rc) = 5 ] && has 'worker01: [0-9]+ MB of memory \(needs 2 GiB on a worker\)'"
check "preflight changed nothing anywhere" "! has '^changed:' && [ \"\$(on cp1 getenforce)\" = Enforcing ] && [ \"\$(on worker02 getenforce)\" = Enforcing ] && ! on worker03 test -e /etc/yum.repos.d/kubernetes.repo"
# check on hosts up has never prepared: everything is drift (exit 2), nothing
# fails on a unit or directory that an earlier task would create.
fk check "$three"
check "check before the first up: drift (exit 2), no failure" "[ \$(rc) = 2 ] && ! has 'failed=[1-9]' && ! has 'Could not find the requested service'"
on worker01 sh -c 'sed -i s/^memory_mb=.*/memory_mb=4096/ /etc/sandbox/hardware'
"$fleet" stop-host "$dir" worker01 >/dev/null; "$fleet" start-host "$dir" worker01 >/dev/null

fk up "$three" -e join_parallel=2 --run-dir "$work/runs"
check "first up: exit 0, 4 nodes Ready" "[ \$(rc) = 0 ] && has 'every node is Ready \(4\)'"
# The three workers' `kubeadm join`s from the run folder's events: never more than 2 at once.
joins_at_once() {
  python3 - "$work"/runs/last/events.jsonl <<'PY'
import json, sys
spans = [(e["start"], e["end"]) for e in map(json.loads, open(sys.argv[1]))
         if e.get("event") == "result" and e.get("task") == "kubeadm join" and e.get("status") == "changed"]
print(len(spans), max(sum(1 for s, e in spans if s <= t < e) for t, _ in spans) if spans else 0)
PY
}
check "join_parallel=2: joining 3 nodes, 2 at a time, never more than 2 joins at once (run folder: $(joins_at_once))" \
  "has '^joining 3 nodes, 2 at a time \(join_parallel\)\$' && [ \"\$(joins_at_once)\" = '3 2' ]"
check "the control plane was initialised, workers joined" "[ \$(count '^changed: \[worker0[12]\]') -ge 20 ] && on cp1 test -f /etc/kubernetes/admin.conf && on worker02 test -f /etc/kubernetes/kubelet.conf"
check "the join configuration file is gone" "! on worker01 test -e /etc/kubernetes/fleetk8s-join.yaml"
check "kubeconfig written 0600 with a reachable server" "[ \$(stat -c %a '$work/kubernetes.kubeconfig') = 600 ] && grep -q 'server: https://127.0.93.1:6443' '$work/kubernetes.kubeconfig'"
check "the nodes are Ready for kubectl on the control plane" "[ \$(on cp1 kubectl get nodes --no-headers | grep -c ' Ready ') = 4 ]"

fk up "$three"
check "second up: changed=0 everywhere, exit 0" "[ \$(rc) = 0 ] && [ \$(count 'changed=0 ') = 4 ]"
check "second up: no kubeadm init, no join" "grep -A1 'TASK \[kubeadm init\]' '$work/out' | grep '^skipping: \[cp1\]' >/dev/null && ! has 'TASK \[kubeadm join\]' && has 'every node is a member already'"
fk check "$three"
check "check on a converged cluster: exit 0" "[ \$(rc) = 0 ] && has 'converged: nothing would change'"

# Drift: swap back on one worker, a sysctl file removed on another, crio stopped on a third.
on worker01 swapon /dev/mapper/rl-swap
on worker02 rm -f /etc/sysctl.d/99-kubernetes.conf
on worker03 systemctl stop crio
fk check "$three"
check "check finds the drift: exit 2" "[ \$(rc) = 2 ]"
check "check names exactly the drifted hosts and tasks" "[ \"\$(sed -n '/^drift:/,/^\$/p' '$work/out' | grep '^  ' | sort | tr '\n' '|')\" = '  worker01: Swap off now|  worker02: Bridge and forwarding sysctls, now and at boot|  worker03: CRI-O running and enabled|' ]"
check "check changed nothing" "[ -n \"\$(on worker01 swapon --show --noheadings)\" ] && ! on worker02 test -e /etc/sysctl.d/99-kubernetes.conf && ! on worker03 systemctl is-active -q crio"
fk up "$three"
check "up corrects the drift" "[ \$(rc) = 0 ] && [ -z \"\$(on worker01 swapon --show --noheadings)\" ] && on worker02 test -e /etc/sysctl.d/99-kubernetes.conf && on worker03 systemctl is-active -q crio && [ \$(count 'changed=0 ') = 1 ]"
fk check "$three"
check "then check says converged" "[ \$(rc) = 0 ]"

# A kubernetes_version newer than the cluster's: check lists it as drift, up
# says which command upgrades and changes nothing (a timer's up neither).
fk check "$three" -e kubernetes_version=1.34
check "check with kubernetes_version raised: drift (exit 2), each host's version listed" "[ \$(rc) = 2 ] && has '^  cp1: Kubernetes 1\.33\.[0-9]+ \(kubernetes_version is 1\.34\)' && has '^  worker03: Kubernetes 1\.33\.'"
fk up "$three" -e kubernetes_version=1.34
check "up with kubernetes_version raised: says so, upgrades nothing, changes nothing" "[ \$(rc) = 0 ] && has 'but the cluster runs 1\.33\.[0-9]+: up never upgrades' && [ \$(count 'changed=0 ') = 4 ] && on worker02 rpm -q kubelet | grep '^kubelet-1\.33\.' >/dev/null && on worker02 grep -q 'v1\.33/rpm' /etc/yum.repos.d/kubernetes.repo"
# From 1.35 the kubelet refuses cgroup v1, which the sandbox's Rocky 8 hosts run (as real ones do).
fk up "$three" -e kubernetes_version=1.35
check "up at 1.35 on cgroup v1 hosts: preflight stops it (exit 5) and says how to move to cgroup v2" "[ \$(rc) = 5 ] && [ \$(count 'cgroup v1 \(/sys/fs/cgroup is tmpfs\): the kubelet of Kubernetes 1\.35 and later refuses') -ge 4 ] && has 'systemd\.unified_cgroup_hierarchy=1'"
fk upgrade "$three" --plan --to 1.35
check "upgrade --plan --to 1.35 on cgroup v1 hosts: one blocker per host, exit 5" "[ \$(rc) = 5 ] && has '^  cgroup v1: cp1 \(/sys/fs/cgroup is tmpfs\)' && has '^  cgroup v1: worker03 '"

# The bootstrap tokens have expired (deleted) when a fifth host is added.
for t in $(on cp1 kubeadm token list 2>/dev/null | awk 'NR > 1 { print $1 }'); do on cp1 kubeadm token delete "$t" >/dev/null; done

fk up "$full"
check "a fifth host added to the inventory joins; only it changes (and cp1's new token)" "[ \$(rc) = 0 ] && has 'every node is Ready \(5\)' && [ \$(count '^worker0[123] .*changed=0 ') = 3 ] && grep -qE '^worker04 .*changed=([1-9][0-9]) ' '$work/out'"
check "it joined with a fresh token from the control plane" "has 'a fresh token from the control plane' && [ \$(on cp1 kubectl get nodes --no-headers | grep -c ' Ready ') = 5 ]"

fk reset "$full" --limit worker03 --yes
check "reset tears the worker down" "[ \$(rc) = 0 ] && ! on worker03 test -e /etc/kubernetes/kubelet.conf"
on cp1 kubectl delete node worker03 >/dev/null
fk up "$full"
check "the reset worker joins again on the next up" "[ \$(rc) = 0 ] && on worker03 test -f /etc/kubernetes/kubelet.conf && has 'every node is Ready \(5\)'"

"$fleet" stop-host "$dir" worker02 >/dev/null
fk up "$full" --connect-timeout 5
"$fleet" start-host "$dir" worker02 >/dev/null
check "an unreachable worker: exit 4, the others converge, the recap says so" "[ \$(rc) = 4 ] && has 'fatal: \[worker02\]: UNREACHABLE' && [ \$(count 'changed=0 +unreachable=0') = 4 ] && has '^worker02 .*unreachable=1 '"

rm -f "$work/kubernetes.kubeconfig"
fk kubeconfig "$full"
check "kubeconfig fetches the admin kubeconfig again" "[ \$(rc) = 0 ] && [ \$(stat -c %a '$work/kubernetes.kubeconfig') = 600 ]"

token=$(on cp1 kubeadm token list 2>/dev/null | awk 'NR > 1 { print $1 }' | head -1)
check "no bootstrap token or certificate key in any output" "! grep -qE '[a-z0-9]{6}\.[a-z0-9]{16}|certificate-key [0-9a-f]{64}' '$work/all-output' && [ -n '$token' ] && ! grep -qF '$token' '$work/all-output'"

finish
