#!/usr/bin/env bash
# The sandbox stand-ins for etcd snapshots, node annotations and Kubernetes 1.35, on their
# own 1+1 fleet (net 99, port 2499): a cluster brought up by fleetk8s at 1.33 (etcd 3.5.21),
# then crictl's container listing and exec into the etcd static pod (registry.k8s.io/etcd:
# etcd and etcdctl, no etcdutl, only /var/lib/etcd and /etc/kubernetes/pki/etcd shared with
# the host), etcdctl snapshot save/status/restore and their failures, kubectl annotate and
# JSONPath with escaped dots, kubeadm upgrade apply one minor at a time 1.33 -> 1.34 (etcd
# 3.6.4: no snapshot status in etcdctl) -> 1.35 (etcd 3.6.6), and a fresh 1.35 install.
# Usage: sandbox-etcd-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
# The single-quoted scripts run on the hosts, expanded there.
# shellcheck disable=SC2016
set -uo pipefail
. "$(dirname "$0")/lib.sh"
own_fleet "$1" "$2"  # bin, fleet, work, dir: the fleet taken down and work removed at exit

# oncp SCRIPT: runs SCRIPT with bash as root on cp1, stdout and stderr merged into $work/out
# (what check prints on a failure), its status in $work/rc.
oncp() { on cp1 bash -c "exec 2>&1
$1" >"$work/out"; echo $? >"$work/rc"; }
output() { cat "$work/out"; }
# The etcd container's ID and the client flags of the etcd PKI, as fleetk8s runs them.
ETCD='id=$(crictl ps --name "^etcd$" --state running -q | head -n 1)
tls="--cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key"
'
SAVE="$ETCD"'crictl exec "$id" etcdctl --endpoints=https://127.0.0.1:2379 $tls snapshot save'
# the snapshot's own integrity: its last 32 bytes are the SHA-256 of the rest (etcd's hasChecksum)
TRAILER='f=/var/lib/etcd/fleetk8s-snapshot.db
[ "$(head -c -32 "$f" | sha256sum | cut -d " " -f 1)" = "$(tail -c 32 "$f" | od -An -tx1 | tr -d " \n")" ]'

"$fleet" up --net 99 --port 2499 2 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
inv=$dir/inventory.ini
fk up "$inv"
check "fleetk8s up: a 1.33 cluster (etcd 3.5.21)" "[ \$(rc) = 0 ] && on cp1 grep -q 'image: registry.k8s.io/etcd:3.5.21-0' /etc/kubernetes/manifests/etcd.yaml"

# ---------------------------------------------------------------- crictl
oncp "$ETCD"'echo "$id"; crictl ps --name etcd; crictl ps --name "^kube-" -q | wc -l; crictl ps --name "^etcd$" --state exited -q | wc -l'
check "crictl ps --name '^etcd\$' --state running -q: one full 64-hex ID; --name is a regular expression" \
  "[ \$(rc) = 0 ] && has '^[0-9a-f]{64}\$' && has '^[0-9a-f]{13} +[0-9a-f]{13} +.* Running +etcd +0 ' && has '^3\$' && has '^0\$'"
oncp 'crictl ps --state stopped'
check "crictl ps --state stopped: crictl's fatal error" "[ \$(rc) = 1 ] && has 'level=fatal msg=\"--state should be one of created, running, exited or unknown\"'"
oncp 'crictl exec 0123456789ab etcdctl version'
check "crictl exec with an unknown ID: CRI-O's NotFound" "[ \$(rc) = 1 ] && has 'level=fatal msg=\"execing command in container 0123456789ab: rpc error: code = NotFound desc = could not find container \\\\\"0123456789ab\\\\\": container with ID starting with 0123456789ab not found: ID does not exist\"'"
oncp "$ETCD"'crictl exec "$id" etcdctl version; crictl exec "${id:0:13}" etcd --version'
check "crictl exec (full ID and a unique prefix): etcdctl 3.5.21, etcd 3.5.21" "[ \$(rc) = 0 ] && has '^etcdctl version: 3\.5\.21\$' && has '^API version: 3\.5\$' && has '^etcd Version: 3\.5\.21\$'"
oncp "$ETCD"'crictl exec "$id" etcdutl version'
check "the etcd image has no etcdutl: the OCI runtime's not found, exit 1" "[ \$(rc) = 1 ] && has 'executable file \`etcdutl\` not found in \\\$PATH' && has 'command terminated with exit code 127'"
oncp "$ETCD"'crictl exec "$id" ls /var/lib/etcd'
check "no ls in the distroless image" "[ \$(rc) = 1 ] && has 'executable file \`ls\` not found in \\\$PATH'"
oncp "$ETCD"'crictl exec "$id" sh -c true'
check "crictl exec ID sh fails (the image's /bin/sh is bash-static: not emulated)" "[ \$(rc) = 1 ] && has 'sandbox stand-in: /bin/sh inside the etcd container: not implemented yet'"
oncp "$ETCD"'crictl exec -it "$id" etcdctl version'
check "crictl exec -it without a terminal" "[ \$(rc) = 1 ] && has 'execing command in container [0-9a-f]{64}: input is not a terminal'"
oncp "$ETCD"'crictl exec --timeout 10s "$id" etcdctl version'
check "crictl exec --timeout takes seconds (an integer)" "[ \$(rc) = 1 ] && has 'invalid value \\\\\"10s\\\\\" for flag -timeout: parse error'"

# ---------------------------------------------------------------- etcd 3.5 snapshots
oncp "$SAVE"' /var/lib/etcd/fleetk8s-snapshot.db && stat -c "%a %s" /var/lib/etcd/fleetk8s-snapshot.db'
check "snapshot save (etcd 3.5): zap's lines, 'Snapshot saved at', a 0600 file" \
  "[ \$(rc) = 0 ] && has '\"caller\":\"snapshot/v3_snapshot.go:65\",\"msg\":\"created temporary db file\",\"path\":\"/var/lib/etcd/fleetk8s-snapshot.db.part\"' && has '\"logger\":\"client\",\"caller\":\"v3@v3.5.21/maintenance.go:212\"' && has '\"msg\":\"fetched snapshot\",\"endpoint\":\"https://127.0.0.1:2379\",\"size\":\"[0-9.]+ kB\",\"took\":\"now\"' && has '^Snapshot saved at /var/lib/etcd/fleetk8s-snapshot.db\$' && has '^600 [0-9]+\$' && ! has 'Server version'"
oncp "$TRAILER"
check "the snapshot ends with the SHA-256 of the rest" "[ \$(rc) = 0 ]"
oncp "$ETCD"'crictl exec "$id" etcdctl snapshot status /var/lib/etcd/fleetk8s-snapshot.db -w json'
check "etcdctl 3.5 snapshot status -w json: the deprecation, then hash, revision, totalKey, totalSize (no version)" \
  "[ \$(rc) = 0 ] && has '^Deprecated: Use \`etcdutl snapshot status\` instead\.\$' && has '^\{\"hash\":[0-9]+,\"revision\":[0-9]+,\"totalKey\":[0-9]+,\"totalSize\":[0-9]+\}\$'"
oncp "$ETCD"'crictl exec "$id" etcdctl snapshot status /var/lib/etcd/fleetk8s-snapshot.db -w table'
check "snapshot status -w table" "[ \$(rc) = 0 ] && has '^\| +HASH +\| REVISION \| TOTAL KEYS \| TOTAL SIZE \|\$' && has '^\| [0-9a-f]{1,8} \| +[0-9]+ \| +[0-9]+ \| +[0-9.]+ kB \|\$'"
oncp "$SAVE"' /tmp/fleetk8s-snapshot.db; echo "rc=$?"; ls /tmp/fleetk8s-snapshot.db'
check "a snapshot to /tmp lands in the container's own /tmp: etcdctl succeeds, the host has no file" \
  "has '^Snapshot saved at /tmp/fleetk8s-snapshot.db\$' && has '^rc=0\$' && has 'cannot access .*/tmp/fleetk8s-snapshot.db.: No such file or directory'"
oncp "$SAVE"' /backup/fleetk8s-snapshot.db'
check "a snapshot to a directory the image lacks: etcdctl's open error" \
  "[ \$(rc) = 1 ] && has '^Error: could not open /backup/fleetk8s-snapshot.db.part \(open /backup/fleetk8s-snapshot.db.part: no such file or directory\)\$' && has 'command terminated with exit code 5'"
oncp "$ETCD"'crictl exec "$id" etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/apiserver.crt --key=/etc/kubernetes/pki/apiserver.key snapshot save /var/lib/etcd/x.db'
check "the API server's certificate: not mounted into the etcd container" "[ \$(rc) = 1 ] && has '^Error: open /etc/kubernetes/pki/apiserver.crt: no such file or directory\$' && has 'exit code 128'"
oncp "$ETCD"'crictl exec "$id" etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/peer.key member list'
check "a certificate with another certificate's key" "[ \$(rc) = 1 ] && has '^Error: tls: private key does not match public key\$'"
oncp "$ETCD"'crictl exec "$id" etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key snapshot save /var/lib/etcd/x.db; ls /var/lib/etcd/x.db*'
check "a --cacert that did not sign etcd's certificate: the dial times out, nothing written" \
  "[ \$(rc) = 2 ] && has '^Error: context deadline exceeded\$' && has 'cannot access'"
oncp "$ETCD"'crictl exec "$id" etcdctl --endpoints=https://10.0.0.1:2379 $tls snapshot save /var/lib/etcd/x.db'
check "an endpoint that is not the local member" "[ \$(rc) = 1 ] && has '^Error: context deadline exceeded\$'"
oncp "$ETCD"'crictl exec "$id" etcdctl --endpoints=https://127.0.0.1:2379 $tls member list -w table; crictl exec "$id" etcdctl --endpoints=https://127.0.0.1:2379 $tls member list -w json; crictl exec "$id" etcdctl --endpoints=https://127.0.0.1:2379 $tls endpoint health'
check "member list (table, json) and endpoint health: the one local member" \
  "[ \$(rc) = 0 ] && has '^\|        ID        \| STATUS  \| NAME \|       PEER ADDRS        \|      CLIENT ADDRS       \| IS LEARNER \|\$' && has '\| started \|  cp1 \| https://127.0.99.1:2380 \| https://127.0.99.1:2379 \|      false \|' && has '\"members\":\[\{\"ID\":[0-9]+,\"name\":\"cp1\",\"peerURLs\":\[\"https://127.0.99.1:2380\"\],\"clientURLs\":\[\"https://127.0.99.1:2379\"\]\}\]' && has '^https://127.0.0.1:2379 is healthy: successfully committed proposal: took = '"
oncp "$ETCD"'head -c 8192 /dev/urandom >/var/lib/etcd/corrupt.db; crictl exec "$id" etcdctl snapshot status /var/lib/etcd/corrupt.db -w json'
check "status of a corrupt file: bbolt's invalid database" "[ \$(rc) = 1 ] && has '^Error: invalid database\$'"
oncp "$ETCD"'cp /var/lib/etcd/fleetk8s-snapshot.db /var/lib/etcd/damaged.db; printf X | dd of=/var/lib/etcd/damaged.db bs=1 seek=300 conv=notrunc 2>/dev/null
crictl exec "$id" etcdctl snapshot status /var/lib/etcd/damaged.db'
check "status of a damaged snapshot: checksum error" "[ \$(rc) = 1 ] && has '^Error: checksum error\$'"
oncp "$ETCD"'crictl exec "$id" etcdctl snapshot restore /var/lib/etcd/fleetk8s-snapshot.db --data-dir /var/lib/etcd/restored && cmp <(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d[\"revision\"], len(d[\"nodes\"]))" /var/lib/etcd/restored/member/sandbox-store.json) <(crictl exec "$id" etcdctl snapshot status /var/lib/etcd/fleetk8s-snapshot.db -w json 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)[\"revision\"], 2)") && ls /var/lib/etcd/restored/member/snap/db /var/lib/etcd/restored/member/wal'
check "etcdctl 3.5 snapshot restore --data-dir: the deprecation, a data directory holding the snapshot's state (same revision, both nodes)" \
  "[ \$(rc) = 0 ] && has '^Deprecated: Use \`etcdutl snapshot restore\` instead\.\$' && has $'\tinfo\tsnapshot/v3_snapshot.go:[0-9]+\trestored snapshot\t'"
oncp "$ETCD"'crictl exec "$id" etcdctl snapshot restore /var/lib/etcd/fleetk8s-snapshot.db --data-dir /var/lib/etcd/restored'
check "restore into a directory that is not empty" "[ \$(rc) = 1 ] && has '^Error: data-dir \"/var/lib/etcd/restored\" not empty or could not be read\$'"

# ---------------------------------------------------------------- kubectl annotate, JSONPath
JP='kubectl get nodes -o jsonpath='"'"'{range .items[*]}{.metadata.name}{"\t"}{.spec.unschedulable}{"\t"}{.metadata.annotations.fleetk8s\.io/upgrade-drained}{"\n"}{end}'"'"
oncp "$JP"
check "jsonpath with an escaped dot: a missing field prints nothing" "[ \$(rc) = 0 ] && [ \"\$(output)\" = \$'cp1\t\t\nworker01\t\t' ]"
oncp 'kubectl annotate --overwrite node -- worker01 fleetk8s.io/upgrade-drained=1.34.1 && kubectl cordon worker01 >/dev/null && '"$JP"
check "annotate --overwrite node -- NODE KEY=VALUE: 'node/NODE annotated', read back with the escaped dot" \
  "[ \$(rc) = 0 ] && [ \"\$(output)\" = \$'node/worker01 annotated\ncp1\t\t\nworker01\ttrue\t1.34.1' ]"
oncp 'kubectl annotate node worker01 fleetk8s.io/upgrade-drained=1.35.0'
check "a different value without --overwrite: kubectl's refusal" "[ \$(rc) = 1 ] && [ \"\$(output)\" = \"error: --overwrite is false but found the following declared annotation(s): 'fleetk8s.io/upgrade-drained' already has a value (1.34.1)\" ]"
oncp 'kubectl annotate node worker01 fleetk8s.io/upgrade-drained=1.34.1'
check "the same value without --overwrite is no conflict" "[ \$(rc) = 0 ] && [ \"\$(output)\" = 'node/worker01 annotated' ]"
oncp 'kubectl get node worker01 -o json | python3 -c "import json,sys; print(json.load(sys.stdin)[\"metadata\"][\"annotations\"][\"fleetk8s.io/upgrade-drained\"])"; kubectl get node worker01 -o yaml | grep "fleetk8s.io/upgrade-drained:"; kubectl get nodes -o jsonpath="{.items[*].metadata.annotations}"'
check "the annotation in -o json, -o yaml and as a map in jsonpath (compact JSON)" \
  "[ \$(rc) = 0 ] && has '^1\.34\.1\$' && has '^    fleetk8s.io/upgrade-drained: 1\.34\.1\$' && has '\"fleetk8s.io/upgrade-drained\":\"1\.34\.1\",\"node.alpha.kubernetes.io/ttl\":\"0\"'"
oncp 'kubectl annotate node -- worker01 fleetk8s.io/upgrade-drained- && kubectl annotate node -- worker01 fleetk8s.io/upgrade-drained- && kubectl uncordon worker01 >/dev/null && '"$JP"
check "KEY- removes (twice: no error), the field is empty again" "[ \$(rc) = 0 ] && [ \"\$(output)\" = \$'node/worker01 annotated\nnode/worker01 annotated\ncp1\t\t\nworker01\t\t' ]"
oncp 'kubectl annotate node -- nosuchnode fleetk8s.io/upgrade-drained=1'
check "annotate a node that does not exist" "[ \$(rc) = 1 ] && [ \"\$(output)\" = 'Error from server (NotFound): nodes \"nosuchnode\" not found' ]"
oncp 'kubectl annotate node worker01'
check "annotate without a change" "[ \$(rc) = 1 ] && [ \"\$(output)\" = 'error: at least one annotation update is required' ]"

# ---------------------------------------------------------------- kubeadm upgrades, etcd 3.6
REPO='sed -i "s#/v1\.3[0-9]/#/v$1/#g" /etc/yum.repos.d/kubernetes.repo /etc/yum.repos.d/cri-o.repo
dnf install -y -q --disableexcludes=kubernetes "kubeadm-$2" >/dev/null 2>&1 || exit 9
'
# kubeadm 1.35 runs SystemVerification before an upgrade too, and these hosts are cgroup v1:
# skipped, as kubeadm's upgrade guide says for failCgroupV1 (the kubelet part comes below).
oncp "set -- 1.35 1.35.0
$REPO"'kubeadm upgrade apply v1.35.0 -y --ignore-preflight-errors=SystemVerification'
check "kubeadm 1.35 on a 1.33 cluster: one minor at a time" \
  "[ \$(rc) = 1 ] && has '^error: error execution phase preflight: the version argument is invalid due to these fatal errors:\$' && has 'Specified version to upgrade to \"v1.35.0\" is too high; kubeadm can upgrade only 1 minor version at a time' && on cp1 grep -q 'etcd:3.5.21-0' /etc/kubernetes/manifests/etcd.yaml"
oncp "set -- 1.34 1.34.1
$REPO"'kubeadm upgrade apply v1.34.1 -y | tail -4; grep -h "image:" /etc/kubernetes/manifests/etcd.yaml'
check "kubeadm upgrade apply v1.34.1: etcd 3.6.4-0" "[ \$(rc) = 0 ] && has 'SUCCESS! A control plane node of your cluster was upgraded to \"v1.34.1\"' && has 'image: registry.k8s.io/etcd:3.6.4-0'"
oncp "$SAVE"' /var/lib/etcd/fleetk8s-snapshot.db'
check "snapshot save (etcd 3.6): the etcd-version field, 'Server version 3.6.0'" \
  "[ \$(rc) = 0 ] && has '\"logger\":\"client\",\"caller\":\"v3@v3.6.4/maintenance.go:' && has '\"msg\":\"fetched snapshot\",\"endpoint\":\"https://127.0.0.1:2379\",\"size\":\"[0-9.]+ kB\",\"took\":\"[0-9.]+ms\",\"etcd-version\":\"3.6.0\"' && has '^Snapshot saved at /var/lib/etcd/fleetk8s-snapshot.db\$' && has '^Server version 3.6.0\$'"
oncp "$TRAILER"
check "the 3.6 snapshot ends with its SHA-256 too" "[ \$(rc) = 0 ]"
oncp "$ETCD"'crictl exec "$id" etcdctl snapshot status /var/lib/etcd/fleetk8s-snapshot.db -w json'
check "etcdctl 3.6 has no snapshot status: cobra prints the snapshot help and exits 0, no JSON" \
  "[ \$(rc) = 0 ] && has '^	etcdctl snapshot <subcommand> \[flags\]\$' && has '^	save	Stores an etcd node backend snapshot to a given file\$' && ! has 'hash' && ! has 'status'"
oncp "$ETCD"'crictl exec "$id" etcdctl snapshot restore /var/lib/etcd/fleetk8s-snapshot.db --data-dir /var/lib/etcd/r36'
check "etcdctl 3.6 snapshot restore --data-dir: unknown flag" "[ \$(rc) = 1 ] && has '^Error: unknown flag: --data-dir\$'"
oncp "set -- 1.35 1.35.0
$REPO"'kubeadm upgrade apply v1.35.0 -y --ignore-preflight-errors=SystemVerification | tail -4; grep -h "image:" /etc/kubernetes/manifests/*.yaml; kubectl version | grep Server'
check "kubeadm upgrade apply v1.35.0 from 1.34: etcd 3.6.6-0, the API server at v1.35.0" \
  "[ \$(rc) = 0 ] && has 'upgraded to \"v1.35.0\"' && has 'image: registry.k8s.io/etcd:3.6.6-0' && has 'image: registry.k8s.io/kube-apiserver:v1.35.0' && has '^Server Version: v1.35.0\$'"
oncp "$SAVE"' /var/lib/etcd/fleetk8s-snapshot.db >/dev/null 2>&1; crictl exec "$id" etcdctl version'
check "a new etcd container after the upgrade: etcdctl 3.6.6 saves" "[ \$(rc) = 0 ] && has '^etcdctl version: 3\.6\.6\$'"
oncp 'dnf install -y -q --disableexcludes=kubernetes kubelet-1.35.0 >/dev/null 2>&1; systemctl restart kubelet; systemctl is-active kubelet'
check "kubelet 1.35 on a cgroup v1 host (Rocky 8's default) does not start (KEP-5573: failCgroupV1 defaults to true)" \
  "[ \$(rc) = 3 ] && [ \"\$(output)\" = activating ]"
oncp 'echo "failCgroupV1: false" >>/var/lib/kubelet/config.yaml; systemctl restart kubelet; systemctl is-active kubelet; kubectl get node cp1 --no-headers | awk "{ print \$2, \$5 }"'
check "with failCgroupV1: false it runs: cp1 Ready at v1.35.0" "[ \$(rc) = 0 ] && [ \"\$(output)\" = \$'active\nReady v1.35.0' ]"

# ---------------------------------------------------------------- a fresh 1.35 install
fk reset "$inv" --yes
check "fleetk8s reset" "[ \$(rc) = 0 ]"
oncp 'set -- 1.35 1.35.0
sed -i "s#/v1\.3[0-9]/#/v$1/#g" /etc/yum.repos.d/kubernetes.repo /etc/yum.repos.d/cri-o.repo
dnf install -y -q --disableexcludes=kubernetes kubelet-1.35.0 kubeadm-1.35.0 kubectl-1.35.0 cri-o >/dev/null 2>&1 || exit 9
rpm -q kubelet kubeadm kubectl cri-tools cri-o
systemctl restart crio kubelet
kubeadm config images list; crictl --version
kubeadm init --pod-network-cidr 192.168.0.0/16'
check "pkgs.k8s.io v1.35: kubelet/kubeadm/kubectl 1.35.0, cri-tools 1.35.0, cri-o 1.35.0, kubeadm's 1.35 images; init on cgroup v1 fails SystemVerification" \
  "[ \$(rc) = 1 ] && has '^kubeadm-1\.35\.0-' && has '^cri-tools-1\.35\.0-' && has '^cri-o-1\.35\.0-' && has '^registry.k8s.io/etcd:3\.6\.6-0\$' && has '^registry.k8s.io/coredns/coredns:v1\.13\.1\$' && has '^registry.k8s.io/pause:3\.10\.1\$' && has '^crictl version v1\.35\.0\$' && has '\[ERROR SystemVerification\]: cgroups v1 support is deprecated and will be removed in a future release\. Please migrate to cgroups v2\. To explicitly enable cgroups v1 support for kubelet v1\.35 or newer, you must set the kubelet configuration option .FailCgroupV1. to .false.\. You must also explicitly skip this validation\.'"
oncp 'cat >/root/kubeadm.yaml <<EOF
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 192.168.0.0/16
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
EOF
kubeadm init --config /root/kubeadm.yaml --ignore-preflight-errors=SystemVerification | grep "WARNING SystemVerification\|initialized successfully"
KUBECONFIG=/etc/kubernetes/admin.conf kubectl get nodes --no-headers | awk "{ print \$1, \$2, \$5 }"'
check "kubeadm init with failCgroupV1: false and the check skipped: a warning, the node Ready at v1.35.0" \
  "[ \$(rc) = 0 ] && has '\[WARNING SystemVerification\]: cgroups v1 support is deprecated' && has 'Your Kubernetes control-plane has initialized successfully' && has '^cp1 Ready v1\.35\.0\$'"
oncp 'dnf install -y -x epel-release epel-release 2>&1 | grep -v "^Last metadata\|B/s"'
check "dnf: an excluded package is 'filtered out by exclude filtering' (dnf 4's text)" \
  "has '^All matches were filtered out by exclude filtering for argument: epel-release\$' && has '^Error: Unable to find a match: epel-release\$'"

finish
