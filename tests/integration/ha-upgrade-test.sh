#!/usr/bin/env bash
# An upgrade of highly available control planes on its own 3+1 fleet (net 72):
# `up` at 1.33 with three control planes (the node-local endpoint), then
# `upgrade --to 1.34`: kubeadm upgrade apply on the first control plane,
# kubeadm upgrade node on the two others one at a time, then the worker;
# every static pod and kubelet at 1.34.1 and etcd still three healthy
# members. All the while a worker's kubectl, through its node-local endpoint,
# keeps answering (polled every 0.2 s): the API never goes away. A second
# run has nothing to upgrade; check is converged.
# Usage: ha-upgrade-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
set -uo pipefail
. "$(dirname "$0")/lib.sh"
own_fleet "$1" "$2"  # bin, fleet, work, dir: the fleet taken down and work removed at exit

"$fleet" up --net 72 --port 2472 4 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
# cp1, worker01 and worker02 are the control planes; worker03 the worker.
inv=$work/ha.ini
ha_inventory 72 >"$inv"
images() { on "$1" sh -c 'grep -h "image:" /etc/kubernetes/manifests/*.yaml | sed "s/.*image: //" | sort | tr "\n" " "'; }

fk up "$inv"
check "up: three control planes at 1.33 behind the node-local endpoint" "[ \$(rc) = 0 ] && has 'join endpoint 127.0.0.1:7443'"

apiservers() { for h in cp1 worker01 worker02; do on "$h" crictl ps --name '^kube-apiserver$' --state running -q; done | tr '\n' ' '; }
before=$(apiservers)
# worker03's kubectl through its endpoint, every 0.2 s while the upgrade runs.
on worker03 sh -c 'rm -f /root/ha-probe /root/ha-probe.stop; while [ ! -e /root/ha-probe.stop ]; do
  if e=$(kubectl --kubeconfig /etc/kubernetes/kubelet.conf get node worker03 -o name 2>&1 >/dev/null); then echo ok; else echo "fail $(date +%T.%N) $e"; fi >>/root/ha-probe
  sleep 0.2; done' &
prober=$!
fk upgrade "$inv" --to 1.34 --yes
on worker03 touch /root/ha-probe.stop; wait "$prober"
order=$(grep -E '^(cp1|worker0[123]): kubeadm 1\.34\.1, kubeadm upgrade (apply|node)$' "$work/out" | cut -d: -f1 | tr '\n' ' ')
check "upgrade: exit 0; kubeadm upgrade apply on cp1, then upgrade node on worker01, worker02, then worker03" \
  "[ \$(rc) = 0 ] && has '^cp1: kubeadm 1\.34\.1, kubeadm upgrade apply$' && [ \"\$order\" = 'cp1 worker01 worker02 worker03 ' ] && has '^every node runs Kubernetes 1\.34\.1$'"
want='registry.k8s.io/etcd:3.6.4-0 registry.k8s.io/kube-apiserver:v1.34.1 registry.k8s.io/kube-controller-manager:v1.34.1 registry.k8s.io/kube-scheduler:v1.34.1 '
check "every control plane's static pods at 1.34.1 (etcd 3.6)" \
  "[ \"\$(images cp1)\" = \"\$want\" ] && [ \"\$(images worker01)\" = \"\$want\" ] && [ \"\$(images worker02)\" = \"\$want\" ]"
check "every kubelet at 1.34.1, nothing cordoned" \
  "[ \$(on cp1 kubectl get nodes --no-headers | grep -c ' Ready .* v1\.34\.1$') = 4 ] && ! on cp1 kubectl get nodes --no-headers | grep SchedulingDisabled >/dev/null"
after=$(apiservers)
changed=0
for id in $after; do case " $before" in *" $id "*) ;; *) changed=$((changed + 1)) ;; esac; done
check "each control plane's API server was restarted (3 new containers: $before-> $after)" "[ \$changed = 3 ]"
polls=$(on worker03 grep -c . /root/ha-probe) fails=$(on worker03 grep -c fail /root/ha-probe)
echo "# worker03's kubectl during the upgrade: $fails failed of $polls"
on worker03 grep fail /root/ha-probe | sed 's/^/#   /' 
check "yet worker03's kubectl through its node-local endpoint answered all along ($polls polls)" "[ \"\$polls\" -gt 20 ] && [ \"\$fails\" = 0 ]"
fk check "$inv" -e kubernetes_version=1.34
check "check at 1.34: converged, 3 of 3 etcd members healthy" "[ \$(rc) = 0 ] && has 'converged: nothing would change' && has '3 of 3 healthy'"
fk upgrade "$inv" --to 1.34 --yes
check "upgrade again: nothing to upgrade (exit 0)" "[ \$(rc) = 0 ] && has 'nothing to upgrade'"

finish
