#!/usr/bin/env bash
# Integration test for the sandbox Kubernetes stand-ins during a kubeadm upgrade and node
# drains (scripts/sandbox/root/usr/libexec/sandbox/kubesim.py): cordon/uncordon, drain with
# its refusals (DaemonSet, emptyDir and unmanaged pods), PodDisruptionBudgets blocking the
# evictions until --timeout, --dry-run=server, evicted pods re-created on another node,
# kubeadm upgrade plan/apply/node with the version skew policy, node versions following the
# running kubelet.
#
# Usage: tests/integration/sandbox-upgrade-test.sh [DIR_PARENT]   (default /tmp)
# Its own fleet: 1 control plane + 3 workers on 127.0.97.x, sshd port 2497 (no other test
# uses them), Kubernetes 1.33.4 with CRI-O, upgraded to 1.34.1. Needs root. Prints
# "N passed, M failed"; exits 1 if anything failed. kubectl's 5 s eviction retry is
# shortened to 1 s here (SANDBOX_KUBECTL_EVICT_RETRY, read by the kubectl stand-in).
#
# The single-quoted scripts run on the hosts, expanded there.
# shellcheck disable=SC2016,SC2029
set -uo pipefail

PARENT=${1:-/tmp}
FLEET=$(realpath "$(dirname "$0")/../../scripts/sandbox-fleet")
NET=97 PORT=2497
mkdir -p "$PARENT"
DIR=$(mktemp -d "$(realpath "$PARENT")/sandbox-upgrade-test.XXXXXX")
SCRATCH=$(mktemp -d /tmp/sandbox-upgrade-scratch.XXXXXX)
PASSED=0 FAILED=0

pass() { PASSED=$(( PASSED + 1 )); echo "ok   $1"; }
fail() {
  FAILED=$(( FAILED + 1 ))
  echo "FAIL $1"
  shift
  local line
  for line; do printf '%s\n' "$line" | sed 's/^/     | /'; done
}
# The host's shell merges stderr into stdout itself: ssh carries them on two channels, which
# would reorder kubectl's and kubeadm's interleaved lines.
run() { OUT=$(ssh "${SSH_OPTS[@]}" "root@$1" "exec 2>&1
$2" 2>&1); RC=$?; }
is() {
  local desc=$1 want_rc=$2 want=$3
  run "$4" "$5"
  if [[ $RC == "$want_rc" && $OUT == "$want" ]]; then pass "$desc"
  else fail "$desc" "wanted exit $want_rc and:" "$want" "got exit $RC and:" "$OUT"
  fi
}
has() {
  local desc=$1 want_rc=$2 host=$3 script=$4 w missing=()
  shift 4
  run "$host" "$script"
  for w; do [[ $OUT == *"$w"* ]] || missing+=("$w"); done
  if [[ ($want_rc == '*' || $RC == "$want_rc") && ${#missing[@]} == 0 ]]; then pass "$desc"
  else fail "$desc" "wanted exit $want_rc and output containing:" "${missing[@]:-(all present)}" "got exit $RC and:" "$OUT"
  fi
}
lacks() {
  local desc=$1 host=$2 script=$3 w found=()
  shift 3
  run "$host" "$script"
  for w; do [[ $OUT == *"$w"* ]] && found+=("$w"); done
  if [[ ${#found[@]} == 0 ]]; then pass "$desc"; else fail "$desc" "unwanted:" "${found[@]}" "got:" "$OUT"; fi
}

cleanup() {
  local h
  for h in "${HOSTS[@]:-}"; do [[ -n $h ]] && ssh "${SSH_OPTS[@]}" -O exit "root@$h" >/dev/null 2>&1; done
  "$FLEET" down "$DIR" >/dev/null 2>&1 || true
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

CP=127.0.$NET.1 W1=127.0.$NET.2 W2=127.0.$NET.3 W3=127.0.$NET.4
HOSTS=("$CP" "$W1" "$W2" "$W3")
SSH_OPTS=(-F /dev/null -o "UserKnownHostsFile=$DIR/known_hosts" -o StrictHostKeyChecking=yes
          -o BatchMode=yes -o ConnectTimeout=5 -o IdentitiesOnly=yes -i "$DIR/id_ed25519" -p "$PORT"
          -o ControlMaster=auto -o "ControlPath=$SCRATCH/cm-%h" -o ControlPersist=300)
started=$SECONDS
echo "# fleet in $DIR, port $PORT, net 127.0.$NET.0/24"
if ! out=$("$FLEET" up --port "$PORT" --net "$NET" 4 "$DIR" 2>&1); then
  fail "up 4 hosts" "$out"
  echo "$PASSED passed, $FAILED failed"
  exit 1
fi
pass "up 1+3 hosts on 127.0.$NET.x"

# ---------------------------------------------------------------- a 1.33 cluster

# repo MINOR: pkgs.k8s.io's repository of that minor, the Kubernetes packages excluded
# from plain updates (as kubernetes.io's install guide writes it).
repo() {
  cat <<EOF
cat >/etc/yum.repos.d/kubernetes.repo <<R
[kubernetes]
name=Kubernetes
baseurl=https://pkgs.k8s.io/core:/stable:/v$1/rpm/
enabled=1
gpgcheck=1
gpgkey=https://pkgs.k8s.io/core:/stable:/v$1/rpm/repodata/repomd.xml.key
exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni
R
EOF
}
PREP="$(repo 1.33)"'
cat >/etc/yum.repos.d/cri-o.repo <<R
[cri-o]
name=CRI-O
baseurl=https://pkgs.k8s.io/addons:/cri-o:/stable:/v1.33/rpm/
enabled=1
gpgcheck=1
gpgkey=https://pkgs.k8s.io/addons:/cri-o:/stable:/v1.33/rpm/repodata/repomd.xml.key
R
dnf install -y -q --disableexcludes=kubernetes kubelet-1.33.4 kubeadm-1.33.4 kubectl-1.33.4 cri-o iproute-tc >/dev/null 2>&1
swapoff -a; sed -i "/ swap /s/^/#/" /etc/fstab; modprobe br_netfilter
printf "net.ipv4.ip_forward = 1\nnet.bridge.bridge-nf-call-iptables = 1\n" >/etc/sysctl.d/k8s.conf; sysctl -q --system
systemctl disable -q --now firewalld; systemctl enable -q --now crio kubelet
kubeadm version -o short'
for h in "${HOSTS[@]}"; do run "$h" "$PREP" & done; wait
is "the hosts have kubeadm, kubelet, kubectl 1.33.4" 0 $'v1.33.4\nKubernetes v1.33.4\nClient Version: v1.33.4' "$W3" \
  'kubeadm version -o short; kubelet --version; kubectl version --client | head -1'
run "$CP" 'kubeadm init --pod-network-cidr 192.168.0.0/16 && mkdir -p ~/.kube && cp /etc/kubernetes/admin.conf ~/.kube/config'
INIT=$OUT
if [[ $RC == 0 ]]; then pass "kubeadm init (1.33.4)"; else fail "kubeadm init" "$INIT"; fi
JOIN=$(printf '%s\n' "$INIT" | sed -e ':a' -e '/\\$/{N;s/\\\n[[:space:]]*//;ba}' | grep '^kubeadm join' | tail -1)
for h in "$W1" "$W2" "$W3"; do run "$h" "$JOIN" & done; wait
is "4 nodes Ready at v1.33.4" 0 $'cp1 Ready v1.33.4\nworker01 Ready v1.33.4\nworker02 Ready v1.33.4\nworker03 Ready v1.33.4' "$CP" \
  'kubectl get nodes --no-headers | awk "{ print \$1, \$2, \$5 }"'

# ---------------------------------------------------------------- workloads

run "$CP" 'cat >/root/apps.yaml <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: busybox
---
apiVersion: v1
kind: Pod
metadata:
  name: bare
spec:
  nodeName: worker03
  containers:
  - name: sleep
    image: busybox
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cache
spec:
  replicas: 1
  selector:
    matchLabels: {app: cache}
  template:
    metadata:
      labels: {app: cache}
    spec:
      nodeSelector: {}
      containers:
      - name: redis
        image: redis
        volumeMounts: [{name: scratch, mountPath: /data}]
      volumes:
      - name: scratch
        emptyDir: {}
EOF
kubectl apply -f /root/apps.yaml'
if [[ $RC == 0 && $OUT == *"deployment.apps/web created"* && $OUT == *"daemonset.apps/agent created"* && $OUT == *"pod/bare created"* ]]; then
  pass "apply a Deployment (3 replicas), a DaemonSet, a bare Pod, a Deployment with an emptyDir"
else fail "apply workloads" "$OUT"; fi
# where the pods run: NAME NODE
pods_on() { run "$CP" "kubectl get pods -o wide --no-headers | awk '\$7 == \"$1\" { print \$1 }' | sort"; }
is "web's 3 pods are spread over the 3 workers, none on the control plane" 0 $'worker01\nworker02\nworker03' "$CP" \
  'kubectl get pods -l app=web -o wide --no-headers | awk "{ print \$7 }" | sort'
is "the DaemonSet runs one pod per worker (the control plane's taint is not tolerated)" 0 $'worker01\nworker02\nworker03' "$CP" \
  'kubectl get pods -l app=agent -o wide --no-headers | awk "{ print \$7 }" | sort'
is "kube-proxy runs on every node, Running" 0 "4 4" "$CP" \
  'kubectl get pods -n kube-system -o wide --no-headers | grep -c "^kube-proxy-.*1/1 *Running" | tr "\n" " "; kubectl get pods -A --no-headers | grep -c "kube-proxy-"'
is "jsonpath: owners (ReplicaSet web-HASH, DaemonSet agent), bare's nodeName" 0 'ReplicaSet DaemonSet agent worker03' "$CP" \
  'kubectl get pods -l app=web -o jsonpath="{.items[0].metadata.ownerReferences[0].kind}"; echo -n " "
   kubectl get pods -l app=agent -o jsonpath="{.items[0].metadata.ownerReferences[0].kind} {.items[0].metadata.ownerReferences[0].name}"; echo -n " "
   kubectl get pods bare -o jsonpath="{.spec.nodeName}"'
is "get pods -o wide: the real columns" 0 'NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES' "$CP" \
  'kubectl get pods -o wide | head -1 | tr -s " "'

# ---------------------------------------------------------------- cordon / uncordon

is "cordon" 0 'node/worker01 cordoned' "$CP" 'kubectl cordon worker01'
is "cordon again: already cordoned" 0 'node/worker01 already cordoned' "$CP" 'kubectl cordon worker01'
is "get nodes: Ready,SchedulingDisabled and spec.unschedulable" 0 $'worker01 Ready,SchedulingDisabled\ntrue' "$CP" \
  'kubectl get nodes worker01 --no-headers | awk "{ print \$1, \$2 }"; kubectl get nodes worker01 -o jsonpath="{.spec.unschedulable}"'
is "the cordon is a NoSchedule taint" 0 'node.kubernetes.io/unschedulable' "$CP" \
  'kubectl get nodes worker01 -o jsonpath="{.spec.taints[?(@.effect==\"NoSchedule\")].key}"'
is "uncordon, uncordon again" 0 $'node/worker01 uncordoned\nnode/worker01 already uncordoned\nworker01 Ready' "$CP" \
  'kubectl uncordon worker01; kubectl uncordon worker01; kubectl get nodes worker01 --no-headers | awk "{ print \$1, \$2 }"'
is "cordon an unknown node" 1 'Error from server (NotFound): nodes "worker09" not found' "$CP" 'kubectl cordon worker09'
is "cordon without a node" 1 $'error: USAGE: cordon NODE [flags]\nSee \'kubectl cordon -h\' for help and examples' "$CP" 'kubectl cordon'

# ---------------------------------------------------------------- drain refusals

run "$CP" 'kubectl get pods -o wide --no-headers | awk "\$7 == \"worker03\" && \$1 ~ /^agent-/ { print \$1 }"'; AGENT3=$OUT
run "$CP" 'kubectl get pods -n kube-system -o wide --no-headers | awk "\$7 == \"worker03\" && \$1 ~ /^kube-proxy-/ { print \$1 }"'; PROXY3=$OUT
is "drain worker03 without flags: DaemonSet pods and the bare pod refuse, the node stays cordoned" 1 \
  "node/worker03 cordoned
error: unable to drain node \"worker03\" due to error: [cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/$AGENT3, kube-system/$PROXY3, cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare], continuing command...
There are pending nodes to be drained:
 worker03
cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/$AGENT3, kube-system/$PROXY3
cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare
worker03 Ready,SchedulingDisabled" \
  "$CP" 'kubectl drain worker03; rc=$?; kubectl get nodes worker03 --no-headers | awk "{ print \$1, \$2 }"; exit $rc'
has "drain --ignore-daemonsets: the unmanaged pod still refuses (kubectl 1.33's doubled prefix)" 1 "$CP" 'kubectl drain worker03 --ignore-daemonsets' \
  'node/worker03 already cordoned' \
  'error: unable to drain node "worker03" due to error: cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare, continuing command...'
run "$CP" 'kubectl get pods -l app=cache -o wide --no-headers | awk "{ print \$1, \$7 }"'; read -r CACHE CACHE_NODE <<<"$OUT"
has "drain the emptyDir pod's node: refused without --delete-emptydir-data" 1 "$CP" "kubectl drain $CACHE_NODE --ignore-daemonsets" \
  "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/$CACHE"
run "$CP" "kubectl uncordon $CACHE_NODE worker03"
has "drain --dry-run=client: what would happen, nothing asked of the API server" 0 "$CP" \
  'kubectl drain worker03 --ignore-daemonsets --force --dry-run=client; kubectl get nodes worker03 --no-headers; kubectl get pods bare --no-headers' \
  'node/worker03 cordoned (dry run)' 'Warning: ignoring DaemonSet-managed Pods: ' '; deleting Pods that declare no controller: default/bare' \
  'evicting pod default/bare (dry run)' 'node/worker03 drained (dry run)' 'worker03   Ready   <none>' 'bare   1/1   Running'

# ---------------------------------------------------------------- drain, eviction, rescheduling

run "$CP" 'kubectl get pods -l app=web -o wide --no-headers | awk "\$7 == \"worker01\" { print \$1 }"'; WEB1=$OUT
run "$CP" 'kubectl drain worker01 --ignore-daemonsets --delete-emptydir-data --timeout=60s'
DRAIN=$OUT
if [[ $RC == 0 && $DRAIN == *"node/worker01 cordoned"* && $DRAIN == *"Warning: ignoring DaemonSet-managed Pods: "* &&
      $DRAIN == *"evicting pod default/$WEB1"* && $DRAIN == *"pod/$WEB1 evicted"* && $DRAIN == *"node/worker01 drained" ]]; then
  pass "drain worker01 --ignore-daemonsets: cordoned, Warning, evicting pod, pod/... evicted, drained"
else fail "drain worker01" "exit $RC" "$DRAIN"; fi
is "the evicted web pod is gone; web has 3 pods again, none on worker01" 0 $'3\n0\n0' "$CP" \
  "kubectl get pods -l app=web --no-headers | wc -l; kubectl get pods -l app=web -o wide --no-headers | grep -c worker01; kubectl get pods --no-headers | grep -c '^$WEB1 '; exit 0"
is "only DaemonSet pods are left on worker01" 0 "agent kube-proxy" "$CP" \
  'kubectl get pods -A -o wide --no-headers | awk "\$8 == \"worker01\" { sub(/-[a-z0-9]+\$/, \"\", \$2); print \$2 }" | sort | tr "\n" " " | sed "s/ \$//"'
run "$CP" 'kubectl uncordon worker01'

# ---------------------------------------------------------------- PodDisruptionBudget

run "$CP" 'cat >/root/db.yaml <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: db
spec:
  replicas: 1
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: postgres
        image: postgres:16
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: db
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: db}
EOF
kubectl apply -f /root/db.yaml && kubectl delete deployment cache && kubectl get pdb --no-headers | awk "{ print \$1, \$2, \$3, \$4 }"'
[[ $RC == 0 && $OUT == $'deployment.apps/db created\npoddisruptionbudget.policy/db created\ndeployment.apps "cache" deleted\ndb 1 N/A 0' ]] &&
  pass "a Deployment of 1 with a PDB minAvailable: 1 (no disruption allowed)" || fail "db + PDB" "$OUT"
run "$CP" 'kubectl get pods -l app=db -o wide --no-headers | awk "{ print \$1, \$7 }"'; read -r DB DBN <<<"$OUT"
DRAIN_DB="kubectl drain $DBN --ignore-daemonsets --delete-emptydir-data --force --timeout=3s"
BLOCKED="There are pending pods in node \"$DBN\" when an error occurred: error when evicting pods/\"$DB\" -n \"default\": global timeout reached: 3s
pod/$DB
error: unable to drain node \"$DBN\" due to error: error when evicting pods/\"$DB\" -n \"default\": global timeout reached: 3s, continuing command...
There are pending nodes to be drained:
 $DBN
error when evicting pods/\"$DB\" -n \"default\": global timeout reached: 3s"
RETRY="error when evicting pods/\"$DB\" -n \"default\" (will retry after 1s): Cannot evict pod as it would violate the pod's disruption budget."
has "drain --dry-run=server: cordon and evictions simulated, the PDB still refuses until --timeout" 1 "$CP" \
  "SANDBOX_KUBECTL_EVICT_RETRY=1s $DRAIN_DB --dry-run=server" \
  "node/$DBN cordoned (server dry run)" "evicting pod default/$DB (server dry run)" "$RETRY" "$BLOCKED"
is "... the node was not cordoned, nothing was evicted" 0 "$DBN Ready
$DB $DBN" "$CP" "kubectl get nodes $DBN --no-headers | awk '{ print \$1, \$2 }'; kubectl get pods $DB -o wide --no-headers | awk '{ print \$1, \$7 }'"
has "drain with the PDB: kubectl retries (every 1s here, 5s by default), fails at --timeout=3s" 1 "$CP" \
  "SANDBOX_KUBECTL_EVICT_RETRY=1s $DRAIN_DB" "node/$DBN cordoned" "evicting pod default/$DB" "$RETRY" "$BLOCKED"
is "... the node is left cordoned, the pod still on it" 0 "$DBN Ready,SchedulingDisabled
$DB $DBN" "$CP" "kubectl get nodes $DBN --no-headers | awk '{ print \$1, \$2 }'; kubectl get pods $DB -o wide --no-headers | awk '{ print \$1, \$7 }'"
is "PDB maxUnavailable: 1 allows one disruption" 0 $'deployment.apps/db unchanged\npoddisruptionbudget.policy/db configured\nN/A 1 1' "$CP" \
  'sed -i "s/minAvailable: 1/maxUnavailable: 1/" /root/db.yaml; kubectl apply -f /root/db.yaml; kubectl get pdb db --no-headers | awk "{ print \$2, \$3, \$4 }"'
has "now the drain passes" 0 "$CP" "kubectl drain $DBN --ignore-daemonsets --delete-emptydir-data --force" \
  "evicting pod default/$DB" "pod/$DB evicted" "node/$DBN drained"
run "$CP" 'kubectl get pods -l app=db -o wide --no-headers | awk "{ print \$1, \$3, \$7 }"'; read -r DB2 DBST DBN2 <<<"$OUT"
if [[ $DB2 != "$DB" && $DBST == Running && -n $DBN2 && $DBN2 != "$DBN" ]]; then pass "the evicted db pod runs again as $DB2 on $DBN2 (was $DB on $DBN)"
else fail "db rescheduled" "$OUT"; fi
run "$CP" "kubectl uncordon $DBN"

# ---------------------------------------------------------------- kubeadm upgrade

run "$W3" "$(repo 1.34)"$'\ndnf install -y -q kubelet-1.34.1 --disableexcludes=kubernetes >/dev/null 2>&1; systemctl restart kubelet'
is "a kubelet newer than the API server (1.34.1 against 1.33.4) registers, as a real one does" 0 $'worker03 Ready v1.34.1\nServer Version: v1.33.4' "$CP" \
  'kubectl get nodes worker03 --no-headers | awk "{ print \$1, \$2, \$5 }"; kubectl version | grep Server'
has "upgrade plan (kubeadm 1.33.4): the v1.33 patch and the v1.34 stable targets" 0 "$CP" 'kubeadm upgrade plan' \
  'kubelet     worker03   v1.34.1   v1.34.1' \
  '[upgrade/versions] Cluster version: 1.33.4' '[upgrade/versions] kubeadm version: v1.33.4' \
  '[upgrade/versions] Target version: v1.34.1' '[upgrade/versions] Latest version in the v1.33 series: v1.33.5' \
  'Upgrade to the latest version in the v1.33 series:' 'Upgrade to the latest stable version:' \
  $'COMPONENT   NODE       CURRENT   TARGET\nkubelet     cp1        v1.33.4   v1.34.1' \
  'kube-apiserver            cp1    v1.33.4    v1.34.1' $'\tkubeadm upgrade apply v1.34.1' \
  'Note: Before you can perform this upgrade, you have to update kubeadm to v1.34.1.'
has "upgrade plan on a worker: no admin.conf" 1 "$W1" 'kubeadm upgrade plan' \
  'couldn'"'"'t create a Kubernetes client from file "/etc/kubernetes/admin.conf": failed to load admin kubeconfig: open /etc/kubernetes/admin.conf: no such file or directory'
is "upgrade apply v1.34.1 with kubeadm 1.33.4: a fatal skew error" 1 \
  '[upgrade] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...
[upgrade] Use '"'"'kubeadm init phase upload-config kubeadm --config your-config-file'"'"' to re-upload it.
[upgrade/preflight] Running preflight checks
[upgrade] Running cluster health checks
[upgrade/preflight] You have chosen to upgrade the cluster version to "v1.34.1"
[upgrade/versions] Cluster version: v1.33.4
[upgrade/versions] kubeadm version: v1.33.4
error execution phase preflight: the version argument is invalid due to these fatal errors:

	- Specified version to upgrade to "v1.34.1" is at least one minor release higher than the kubeadm minor release (34 > 33). Such an upgrade is not supported

Please fix the misalignments highlighted above and try upgrading again
To see the stack trace of this error execute with --v=5 or higher' "$CP" 'kubeadm upgrade apply v1.34.1 -y'
has "upgrade apply v1.33.5 with kubeadm 1.33.4: upgrade kubeadm first (can be forced)" 1 "$CP" 'kubeadm upgrade apply v1.33.5 -y' \
  $'the version argument is invalid due to these errors:\n\n\t- Specified version to upgrade to "v1.33.5" is higher than the kubeadm version "v1.33.4". Upgrade kubeadm first using the tool you used to install kubeadm\n\nCan be bypassed if you pass the --force flag'
has "the repo at v1.34 excludes kubeadm: a plain dnf install finds no match" 1 "$CP" \
  "$(repo 1.34)"$'\ndnf install -y kubeadm-1.34.1' 'Error: Unable to find a match: kubeadm-1.34.1'
is "dnf install kubeadm-1.34.1 --disableexcludes=kubernetes (repo at v1.34)" 0 'v1.34.1' "$CP" \
  'dnf install -y -q kubeadm-1.34.1 --disableexcludes=kubernetes >/dev/null 2>&1; kubeadm version -o short'
has "upgrade apply v1.35.0 with kubeadm 1.34.1: skipping a minor is refused" 1 "$CP" 'kubeadm upgrade apply v1.35.0 -y' \
  $'error: error execution phase preflight: the version argument is invalid due to these fatal errors:\n\n\t- Specified version to upgrade to "v1.35.0" is too high; kubeadm can upgrade only 1 minor version at a time\n\t- Specified version to upgrade to "v1.35.0" is at least one minor release higher than the kubeadm minor release (35 > 34). Such an upgrade is not supported\n'
has "upgrade apply without -y and no answer: not proceeding" 1 "$CP" 'kubeadm upgrade apply v1.34.1 </dev/null' \
  '[upgrade] Are you sure you want to proceed? [y/N]: ' "won't proceed; the user didn't answer (Y|y) in order to continue"
run "$CP" 'kubeadm upgrade apply v1.34.1 -y'; APPLY=$OUT
if [[ $RC == 0 && $APPLY == *'[upgrade/staticpods] Renewing apiserver certificate'* &&
      $APPLY == *'[upgrade/staticpods] Moving new manifest to "/etc/kubernetes/manifests/kube-apiserver.yaml" and backing up old manifest to "/etc/kubernetes/tmp/kubeadm-backup-manifests-'* &&
      $APPLY == *'[upgrade/staticpods] Component "kube-scheduler" upgraded successfully!'* &&
      $APPLY == *$'\n[upgrade] SUCCESS! A control plane node of your cluster was upgraded to "v1.34.1".\n\n[upgrade] Now please proceed with upgrading the rest of the nodes by following the right order.' ]]; then
  pass "upgrade apply v1.34.1 -y (kubeadm 1.34.1): manifests, backups, certificates, SUCCESS"
else fail "upgrade apply v1.34.1" "exit $RC" "$APPLY"; fi
is "the manifests run 1.34.1 images, the old ones are backed up" 0 'registry.k8s.io/kube-apiserver:v1.34.1
registry.k8s.io/etcd:3.6.4-0
registry.k8s.io/kube-apiserver:v1.33.4' "$CP" \
  'grep -h "image:" /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/manifests/etcd.yaml | tr -d " " | sed s/image://
   grep -h "image:" /etc/kubernetes/tmp/kubeadm-backup-manifests-*/kube-apiserver.yaml | tr -d " " | sed s/image://'
is "the API server reports v1.34.1; the kubeadm-config says v1.34.1; node versions unchanged" 0 $'Server Version: v1.34.1\nv1.34.1\ncp1 v1.33.4' "$CP" \
  'kubectl version | grep Server; kubectl -n kube-system get cm kubeadm-config >/dev/null 2>&1; kubeadm upgrade plan 2>/dev/null | grep -o "Cluster version: .*" | sed "s/Cluster version: /v/"; kubectl get nodes cp1 --no-headers | awk "{ print \$1, \$5 }"'
has "apply again at the same version: idempotent" 0 "$CP" 'kubeadm upgrade apply v1.34.1 -y --certificate-renewal=false' \
  '[upgrade/staticpods] Current and new manifests of kube-apiserver are equal, skipping upgrade' \
  '[upgrade] SUCCESS! A control plane node of your cluster was upgraded to "v1.34.1".'
lacks "... --certificate-renewal=false renews nothing" "$CP" 'kubeadm upgrade apply v1.34.1 -y --certificate-renewal=false' 'Renewing'

# ---------------------------------------------------------------- the nodes: upgrade node, drain, kubelet

has "upgrade node on a worker (kubeadm 1.34.1): the kubelet configuration only" 0 "$W1" \
  "$(repo 1.34)"$'\ndnf install -y -q kubeadm-1.34.1 --disableexcludes=kubernetes >/dev/null 2>&1; kubeadm upgrade node' \
  '[upgrade/preflight] Skipping prepull. Not a control plane node.' '[upgrade/control-plane] Skipping phase. Not a control plane node.' \
  '[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"' \
  '[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!' \
  '[upgrade/addon] Skipping the addon/kube-proxy phase. Not a control plane node.'
is "... it wrote no manifests and backed up the kubelet config" 0 'config.yaml' "$W1" \
  'ls /etc/kubernetes/manifests; ls /etc/kubernetes/tmp/kubeadm-kubelet-config*/'
has "drain worker01 for its kubelet" 0 "$CP" 'kubectl drain worker01 --ignore-daemonsets --delete-emptydir-data' 'node/worker01 drained'
is "kubelet 1.34.1 installed: the node still runs 1.33.4 until the kubelet restarts" 0 $'Kubernetes v1.34.1\nworker01 v1.33.4' "$W1" \
  'dnf install -y -q kubelet-1.34.1 kubectl-1.34.1 --disableexcludes=kubernetes >/dev/null 2>&1; kubelet --version; systemctl restart crio
   kubectl --kubeconfig /etc/kubernetes/kubelet.conf get nodes worker01 --no-headers | awk "{ print \$1, \$5 }"'
run "$W1" 'systemctl daemon-reload && systemctl restart kubelet'
is "... after systemctl restart kubelet: v1.34.1; uncordon" 0 $'worker01 Ready,SchedulingDisabled v1.34.1\nnode/worker01 uncordoned\nworker01 Ready v1.34.1' "$CP" \
  'kubectl get nodes worker01 --no-headers | awk "{ print \$1, \$2, \$5 }"; kubectl uncordon worker01; kubectl get nodes worker01 --no-headers | awk "{ print \$1, \$2, \$5 }"'
has "upgrade plan after the upgrade: up to date" 0 "$CP" 'kubeadm upgrade plan' "Awesome, you're up-to-date! Enjoy!"

# ---------------------------------------------------------------- down

for h in "${HOSTS[@]}"; do ssh "${SSH_OPTS[@]}" -O exit "root@$h" >/dev/null 2>&1; done
if out=$("$FLEET" down "$DIR" 2>&1); then pass "down"; else fail "down" "$out"; fi

echo "# took $(( SECONDS - started )) s"
echo "$PASSED passed, $FAILED failed"
(( FAILED == 0 ))
