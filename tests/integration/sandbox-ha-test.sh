#!/usr/bin/env bash
# The sandbox stand-ins for a highly available control plane with stacked etcd, on their own
# fleet of 3 hosts (net 86, port 2486): the hosts prepared with the project's prepare.yml
# (fleetk8s run), then kubeadm by hand as an administrator runs it: init --upload-certs with a
# controlPlaneEndpoint on cp1, the control-plane join's refusals (no controlPlaneEndpoint, a
# wrong certificate key), worker01 and worker02 joining as control planes at once (learners
# added one at a time, promoted), an API server per control plane over the same cluster state,
# etcdctl's member list / endpoint health / endpoint status across the members, cp1 stopped (the
# others go on; its member unreachable), a second one stopped (quorum lost: the API server's
# "etcdserver: request timed out", etcdctl's "context deadline exceeded"), member remove refused
# and allowed as etcd's strict reconfiguration check decides, kubeadm reset removing its own
# member, a re-join through a JoinConfiguration file with the join command of `kubeadm token
# create --print-join-command --certificate-key`, and reset without quorum (kubeadm skips the
# member's removal).
# Usage: sandbox-ha-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
# The single-quoted scripts run on the hosts, expanded there.
# shellcheck disable=SC2016
set -uo pipefail
. "$(dirname "$0")/lib.sh"
own_fleet "$1" "$2"  # bin, fleet, work, dir: the fleet taken down and work removed at exit
books=$(realpath "$(dirname "$0")/../../playbooks")

# onh HOST SCRIPT: runs SCRIPT with bash as root on HOST, stdout and stderr merged into $work/out
# (what check prints on a failure), its status in $work/rc.
onh() { on "$1" bash -c "exec 2>&1
$ETCD
$2" >"$work/out"; echo $? >"$work/rc"; }
output() { cat "$work/out"; }
# etcdctl in the host's etcd container with the etcd PKI, as fleetk8s runs it: e ARGS...
ETCD='e() { local id; id=$(crictl ps --name "^etcd$" --state running -q | head -n 1)
crictl exec "$id" etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key --command-timeout=1s "$@"; }
export KUBECONFIG=/etc/kubernetes/admin.conf'
CP1=127.0.86.1 W1=127.0.86.2 W2=127.0.86.3
# The control-plane endpoint is a name in every host's /etc/hosts, first cp1's address; when cp1
# goes away it is moved to worker01's, as a VIP fails over (no load balancer in the sandbox).
endpoint() { for h in cp1 worker01 worker02; do on "$h" sh -c "sed -i '/ cluster-endpoint\$/d' /etc/hosts; echo '$1 cluster-endpoint' >>/etc/hosts" 2>/dev/null; done; }

"$fleet" up --net 86 --port 2486 3 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
inv=$dir/inventory.ini
fk run -i "$inv" -e "@$books/vars/defaults.yml" "$books/prepare.yml"
check "prepare.yml on the 3 hosts (fleetk8s run)" "[ \$(rc) = 0 ] && has 'cp1 .*failed=0' && has 'worker02 .*failed=0'"

# ---------------------------------------------------------------- refusals of a control-plane join
FLAT='tr "\n" " " </root/init.out | sed "s/\\\\[[:space:]]*//g; s/[[:space:]]\+/ /g"'
onh cp1 'kubeadm init --upload-certs --pod-network-cidr 10.244.0.0/16 >/root/init.out; echo rc=$?
'"$FLAT"' | grep -o "kubeadm join [^ ]* --token [^ ]* --discovery-token-ca-cert-hash [^ ]*" | tail -n 1'
join=$(tail -n 1 "$work/out")
onh worker01 "$join"' --control-plane --certificate-key 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
check "join --control-plane, no controlPlaneEndpoint: kubeadm's preflight refusal" \
  "[ \$(rc) = 1 ] && has '^unable to add a new control plane instance to a cluster that doesn.t have a stable controlPlaneEndpoint address\$' && has '^\* The cluster has a stable controlPlaneEndpoint address\.\$' && on worker01 test ! -e /etc/kubernetes/kubelet.conf"
endpoint $CP1
onh cp1 'kubeadm reset -f >/dev/null; kubeadm init --control-plane-endpoint cluster-endpoint:6443 --upload-certs --pod-network-cidr 10.244.0.0/16 >/root/init.out; echo rc=$?
'"$FLAT"' | grep -o "kubeadm join [^ ]* --token [^ ]* --discovery-token-ca-cert-hash [^ ]* --control-plane --certificate-key [0-9a-f]*"'
cpjoin=$(tail -n 1 "$work/out")
check "init --control-plane-endpoint --upload-certs: the control-plane join command" \
  "has '^rc=0\$' && [[ \"\$cpjoin\" =~ --control-plane\ --certificate-key\ [0-9a-f]{64}\$ ]]"
onh worker01 "${cpjoin% *} fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
check "a wrong certificate key: download-certs cannot decrypt the kubeadm-certs Secret, nothing joined" \
  "[ \$(rc) = 1 ] && has '^error execution phase control-plane-prepare/download-certs: error downloading certs: error decoding secret data with provided key: cipher: message authentication failed\$' && on worker01 test ! -e /etc/kubernetes/kubelet.conf && ! on cp1 kubectl --kubeconfig /etc/kubernetes/admin.conf get node worker01 >/dev/null 2>&1"

# ---------------------------------------------------------------- two control planes join at once
for h in worker01 worker02; do
  (on "$h" bash -c "$cpjoin" >"$work/join-$h" 2>&1; echo $? >"$work/join-$h.rc") &
done
wait
cat "$work/join-worker01" "$work/join-worker02" >"$work/out"
echo $(( $(cat "$work/join-worker01.rc") + $(cat "$work/join-worker02.rc") )) >"$work/rc"
check "worker01 and worker02 join as control planes at once (etcd learners one at a time, promoted)" \
  "[ \$(rc) = 0 ] && [ \$(count '^This node has joined the cluster and a new control plane instance was created:\$') = 2 ] && [ \$(count '^\[etcd\] Announced new etcd member joining to the existing etcd cluster\$') = 2 ] && [ \$(count '^\[etcd\] Waiting for the new etcd member to join the cluster\. This can take up to 40s\$') = 2 ] && has '^\[download-certs\] Saving the certificates to the folder: \"/etc/kubernetes/pki\"\$' && has '^\[certs\] etcd/server serving cert is signed for DNS names \[worker02 localhost\] and IPs \[127\.0\.86\.3 127\.0\.0\.1 ::1\]\$' && has '^\[mark-control-plane\] Marking the node worker01 as control-plane by adding the taints \[node-role.kubernetes.io/control-plane:NoSchedule\]\$'"
onh worker02 'grep -h "^    - --initial-cluster" /etc/kubernetes/manifests/etcd.yaml; for a in '"$CP1 $W1 $W2"'; do kubectl --server https://$a:6443 get nodes --no-headers | awk -v a=$a "{ print a, \$1, \$3 }"; done'
check "each control plane's API server serves the same cluster (kubectl --server to each); etcd joins an existing cluster" \
  "[ \$(rc) = 0 ] && [ \$(count ' control-plane\$') = 9 ] && has '^$W2 worker01 control-plane\$' && has '^$CP1 worker02 control-plane\$' && has '^    - --initial-cluster-state=existing\$'"
onh worker01 'e member list -w table; e member list -w json'
check "member list: 3 started voting members (table and json)" \
  "[ \$(rc) = 0 ] && [ \$(count '^\| [0-9a-f]{16} \| started \| +(cp1|worker01|worker02) \| https://127\.0\.86\.[123]:2380 \| https://127\.0\.86\.[123]:2379 \| +false \|\$') = 3 ] && has '\"members\":\[\{\"ID\":[0-9]+,\"name\":\"[a-z0-9]+\",\"peerURLs\"'"
onh cp1 'e endpoint health --cluster; e endpoint status --cluster -w table'
check "endpoint health and status --cluster: three healthy members, one leader" \
  "[ \$(rc) = 0 ] && [ \$(count '^https://127\.0\.86\.[123]:2379 is healthy: successfully committed proposal') = 3 ] && [ \$(count '\|  3\.5\.21 \| .* \|      true \|      false \|') = 1 ]"

# ---------------------------------------------------------------- cp1 stopped, then quorum lost
"$fleet" stop-host "$dir" cp1 >/dev/null
onh worker01 'kubectl --server https://'"$W1"':6443 get nodes --no-headers | wc -l; kubectl --server https://'"$W2"':6443 get nodes >/dev/null && echo via-worker02; kubectl get nodes'
check "cp1 stopped: the other API servers serve (2 of 3 members), the endpoint (still cp1) is refused" \
  "has '^3\$' && has '^via-worker02\$' && has '^The connection to the server cluster-endpoint:6443 was refused - did you specify the right host or port\?\$'"
endpoint $W1
onh worker01 'e endpoint health --cluster; echo rc=$?; e endpoint status --cluster -w table; echo rc=$?'
check "etcdctl on worker01: cp1's member unhealthy (endpoint health) and unreachable (endpoint status), exit 1" \
  "has '^https://127\.0\.86\.1:2379 is unhealthy: failed to commit proposal: context deadline exceeded\$' && has '^Error: unhealthy cluster\$' && [ \$(count '^rc=1\$') = 2 ] && has '^Failed to get the status of endpoint https://127\.0\.86\.1:2379 \(context deadline exceeded\)\$' && [ \$(count '^\| https://127\.0\.86\.[23]:2379 \|') = 2 ]"
"$fleet" stop-host "$dir" worker02 >/dev/null
onh worker01 'kubectl get nodes; echo rc=$?; e member list; echo rc=$?; kubeadm token create; echo rc=$?'
check "worker02 stopped too: no quorum, the API server answers etcd's timeout, etcdctl's deadline, kubeadm fails" \
  "has '^Error from server: etcdserver: request timed out\$' && has '^Error: context deadline exceeded\$' && has '^failed to create or update bootstrap token with name bootstrap-token-[a-z0-9]{6}: etcdserver: request timed out\$' && [ \$(count '^rc=1\$') = 3 ]"
"$fleet" start-host "$dir" worker02 >/dev/null
onh worker01 'kubectl --server https://'"$W1"':6443 get nodes --no-headers | wc -l; e member list | awk -F", " "{ print \$3, \$1 }" >/root/ids; cat /root/ids'
check "worker02 back (its kubelet starts etcd and the API server): quorum again" "has '^3\$' && has '^worker02 [0-9a-f]{16}\$'"
grep -E '^(cp1|worker0[12]) ' "$work/out" >"$work/ids"
onh worker02 'kubeadm reset -f; echo rc=$?'
check "kubeadm reset -f on worker02 while cp1 is down: etcd refuses the removal, kubeadm warns and goes on" \
  "has '^rc=0\$' && has '^W[0-9]{4} [0-9:.]+ +[0-9]+ removeetcdmember\.go:[0-9]+\] \[reset\] Failed to remove etcd member: etcdserver: unhealthy cluster, please manually remove this etcd member using etcdctl\$' && has '^\[reset\] Deleted contents of the etcd data directory: /var/lib/etcd\$'"
onh worker01 'kubectl get nodes'
check "its member left behind: 1 of 3 running, no quorum" "[ \$(rc) = 1 ] && has '^Error from server: etcdserver: request timed out\$'"
"$fleet" start-host "$dir" cp1 >/dev/null
onh worker02 "$cpjoin"' | grep "^This node has joined"; e member list | awk -F", " "{ print \$3, \$1, \$2 }"'
check "cp1 back (quorum), worker02 joins again: kubeadm takes over its old member (same ID, no new one)" \
  "[ \$(rc) = 0 ] && has '^This node has joined the cluster and a new control plane instance was created:\$' && has \"^\$(grep '^worker02 ' \"\$work/ids\") started\\\$\" && [ \$(count ' started\$') = 3 ]"
"$fleet" stop-host "$dir" cp1 >/dev/null
onh worker01 'e member remove $(awk "/^worker02/ { print \$2 }" /root/ids)'
check "member remove of a running member while cp1 is down: refused (it would break the active quorum)" \
  "[ \$(rc) = 1 ] && has '^Error: etcdserver: unhealthy cluster\$'"
onh worker01 'e member remove $(awk "/^cp1/ { print \$2 }" /root/ids) && e member list && kubectl delete node cp1'
check "member remove of the stopped cp1: 'Member ID removed from cluster CID', two members left; its Node deleted" \
  "[ \$(rc) = 0 ] && has '^Member [0-9a-f]{16} removed from cluster [0-9a-f]{16}\$' && [ \$(count ', started, ') = 2 ] && ! has ', cp1, ' && has '^node \"cp1\" deleted\$'"

# ---------------------------------------------------------------- reset, re-join, reset without quorum
onh worker02 'kubeadm reset -f; ls -A /var/lib/etcd /etc/kubernetes/manifests'
check "kubeadm reset -f on worker02: its member removed first (no warning), the etcd data directory emptied" \
  "[ \$(rc) = 0 ] && has '^\[reset\] Deleted contents of the etcd data directory: /var/lib/etcd\$' && ! has 'Failed to remove etcd member' && ! has 'sandbox'"
onh worker01 'e member list; kubectl delete node worker02; kubectl get nodes --no-headers | wc -l'
check "only worker01's member left, the cluster serves (1 of 1)" \
  "[ \$(rc) = 0 ] && [ \$(count ', started, ') = 1 ] && has ', worker01, https://127\.0\.86\.2:2380, https://127\.0\.86\.2:2379, false\$' && has '^1\$'"
onh worker01 'key=$(kubeadm init phase upload-certs --upload-certs | tail -n 1); kubeadm token create --print-join-command --certificate-key "$key"'
check "token create --print-join-command --certificate-key: the control-plane join command on one line" \
  "[ \$(rc) = 0 ] && has '^kubeadm join cluster-endpoint:6443 --token [a-z0-9]{6}\.[a-z0-9]{16} --discovery-token-ca-cert-hash sha256:[0-9a-f]{64} --control-plane --certificate-key [0-9a-f]{64}'"
read -r _ _ _ _ token _ hash _ _ key < <(tail -n 1 "$work/out")
onh worker02 'cat >/root/join.yaml <<EOF
apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
discovery:
  bootstrapToken:
    apiServerEndpoint: cluster-endpoint:6443
    token: '"$token"'
    caCertHashes: ['"$hash"']
controlPlane:
  certificateKey: '"$key"'
  localAPIEndpoint:
    advertiseAddress: '"$W2"'
    bindPort: 6443
EOF
kubeadm join --config /root/join.yaml | grep "^This node has joined"; e member list | grep -c ", started, "; kubectl --server https://'"$W2"':6443 get nodes --no-headers | wc -l'
check "re-join of worker02 through a JoinConfiguration (controlPlane.certificateKey, localAPIEndpoint): 2 members" \
  "[ \$(rc) = 0 ] && has '^This node has joined the cluster and a new control plane instance was created:\$' && has '^2\$'"
onh worker01 'id() { e member list | awk -F", " "/127\.0\.86\.$1:2380/ { print \$1 }"; }
e member add spare --learner --peer-urls=https://127.0.86.8:2380 >/dev/null; e member promote $(id 8)
e member add third --learner --peer-urls=https://127.0.86.7:2380; e member remove $(id 8)
e member add ghost --peer-urls=https://127.0.86.9:2380 && e member list && e member remove $(id 9); e member list | wc -l'
check "member add: an unstarted voting member (ETCD_INITIAL_CLUSTER...), one learner at a time, a learner not running is not promoted, removed again" \
  "[ \$(rc) = 0 ] && has '^Member [0-9a-f]{16} added to cluster [0-9a-f]{16}\$' && has '^ETCD_NAME=\"ghost\"\$' && has '^ETCD_INITIAL_CLUSTER=\".*ghost=https://127\.0\.86\.9:2380.*\"\$' && has '^ETCD_INITIAL_CLUSTER_STATE=\"existing\"\$' && has '^[0-9a-f]{16}, unstarted, , https://127\.0\.86\.9:2380, , false\$' && has '^Error: etcdserver: can only promote a learner member which is in sync with leader\$' && has '^Error: etcdserver: too many learner members in cluster\$' && [ \$(count ' removed from cluster ') = 2 ] && has '^2\$'"
"$fleet" stop-host "$dir" worker02 >/dev/null
onh worker01 'kubeadm reset -f; echo rc=$?; e member list 2>/dev/null; ls -A /var/lib/etcd'
check "reset of worker01 without quorum: kubeadm cannot read its configuration, skips the member's removal, cleans up" \
  "has '^rc=0\$' && has 'reset.go:124\] \[reset\] Unable to fetch the kubeadm-config ConfigMap from cluster: failed to get config map: etcdserver: request timed out\$' && has 'No kubeadm config, using etcd pod spec to get data directory' && has '^\[reset\] Deleted contents of the etcd data directory: /var/lib/etcd\$' && ! has 'Failed to remove etcd member'"
"$fleet" start-host "$dir" worker02 >/dev/null
onh worker02 'e member list; kubectl --server https://'"$W2"':6443 get nodes'
check "worker02 back alone: worker01's member was never removed, so 1 of 2 is no quorum" \
  "has '^Error: context deadline exceeded\$' && has '^Error from server: etcdserver: request timed out\$'"

finish
