#!/usr/bin/env bash
# Integration test for the sandbox hosts' Kubernetes stand-ins (kubeadm, kubectl, kubelet,
# crictl: scripts/sandbox/root/usr/libexec/sandbox/kubesim.py and the API server stand-in).
#
# Usage: tests/integration/sandbox-kube-test.sh [DIR_PARENT]   (default /tmp)
# Brings up 1+3 hosts on a random free port and a random 127.0.N.x net (so its API server
# on :6443 never meets another fleet's), installs Kubernetes 1.30 with CRI-O (worker02:
# 1.29, whose kubeadm still checks bridge-nf-call-iptables; worker03: 1 CPU, 1024 MB, i.e.
# MemTotal 984 MB as kubeadm reads it) and
# drives kubeadm/kubectl over real ssh as a playbook would: preflight failures, init with a
# --config file, the join command parsed from init's output, joins with bad tokens, hashes,
# endpoints and expired tokens, re-init / re-join, reset, nodes NotReady until a CNI is
# applied, a control-plane restart. Needs root. Prints "N passed, M failed"; exits 1 if
# anything failed.
#
# The single-quoted scripts run on the hosts, expanded there.
# shellcheck disable=SC2016,SC2029
set -uo pipefail

PARENT=${1:-/tmp}
FLEET=$(realpath "$(dirname "$0")/../../scripts/sandbox-fleet")
mkdir -p "$PARENT"
DIR=$(mktemp -d "$(realpath "$PARENT")/sandbox-kube-test.XXXXXX")
SCRATCH=$(mktemp -d /tmp/sandbox-kube-scratch.XXXXXX)
PASSED=0 FAILED=0

pass() { PASSED=$(( PASSED + 1 )); echo "ok   $1"; }
fail() {
  FAILED=$(( FAILED + 1 ))
  echo "FAIL $1"
  shift
  local line
  for line; do printf '%s\n' "$line" | sed 's/^/     | /'; done
}
run() { OUT=$(ssh "${SSH_OPTS[@]}" "root@$1" "$2" 2>&1); RC=$?; }
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
# lacks DESC HOST SCRIPT UNWANTED...: none of UNWANTED in the output (any exit status).
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

pick_free_port() {
  local port
  for _ in $(seq 50); do
    port=$(( 20000 + RANDOM % 20000 ))
    [[ -z $(ss -Hltn "sport = :$port") ]] && { echo "$port"; return; }
  done
  echo "no free port found" >&2
  exit 1
}
pick_free_net() {
  local net
  for _ in $(seq 50); do
    net=$(( 100 + RANDOM % 150 ))
    [[ -z $(ss -Hltn "src 127.0.$net.0/24") ]] && { echo "$net"; return; }
  done
  echo "no free net found" >&2
  exit 1
}

PORT=$(pick_free_port)
NET=$(pick_free_net)
CP=127.0.$NET.1 W1=127.0.$NET.2 W2=127.0.$NET.3 W3=127.0.$NET.4
HOSTS=("$CP" "$W1" "$W2" "$W3")
SSH_OPTS=(-F /dev/null -o "UserKnownHostsFile=$DIR/known_hosts" -o StrictHostKeyChecking=yes
          -o BatchMode=yes -o ConnectTimeout=5 -o IdentitiesOnly=yes -i "$DIR/id_ed25519" -p "$PORT"
          -o ControlMaster=auto -o "ControlPath=$SCRATCH/cm-%h" -o ControlPersist=300)
started=$SECONDS
echo "# fleet in $DIR, port $PORT, net 127.0.$NET.0/24"
if ! out=$("$FLEET" up --port "$PORT" --net "$NET" --cpus worker03=1 --memory-mb worker03=1024 4 "$DIR" 2>&1); then
  fail "up 4 hosts" "$out"
  echo "$PASSED passed, $FAILED failed"
  exit 1
fi
pass "up 1+3 hosts on 127.0.$NET.x (worker03: 1 CPU, 1024 MB)"

# ---------------------------------------------------------------- packages

# repo MINOR: the pkgs.k8s.io repositories of that minor and the packages.
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
cat >/etc/yum.repos.d/cri-o.repo <<R
[cri-o]
name=CRI-O
baseurl=https://pkgs.k8s.io/addons:/cri-o:/stable:/v$1/rpm/
enabled=1
gpgcheck=1
gpgkey=https://pkgs.k8s.io/addons:/cri-o:/stable:/v$1/rpm/repodata/repomd.xml.key
R
dnf install -y -q --disableexcludes=kubernetes kubelet kubeadm kubectl cri-o iproute-tc >/dev/null 2>&1 &&
  kubeadm version -o short
EOF
}
for h in "$CP" "$W1" "$W3"; do run "$h" "$(repo 1.30)" & done
run "$W2" "$(repo 1.29)"; v129=$OUT
wait
is "worker02 has kubeadm 1.29" 0 v1.29.15 "$W2" 'kubeadm version -o short'
is "cp1 has kubeadm 1.30, kubelet, kubectl, crictl" 0 $'v1.30.14\nKubernetes v1.30.14\nClient Version: v1.30.14\ncrictl version v1.30.1' "$CP" \
  'kubeadm version -o short; kubelet --version; kubectl version --client | head -1; crictl --version'
[[ $v129 == v1.29.* ]] || fail "worker02 install" "$v129"

# ---------------------------------------------------------------- before the host is prepared

is "kubectl without a kubeconfig: localhost:8080" 1 \
  'The connection to the server localhost:8080 was refused - did you specify the right host or port?' "$CP" 'kubectl get nodes'
is "kubeadm: unknown flag / command" 1 $'unknown flag: --bogus\nTo see the stack trace of this error execute with --v=5 or higher\nunknown command "frobnicate" for "kubeadm"\nTo see the stack trace of this error execute with --v=5 or higher' \
  "$CP" 'kubeadm init --bogus; kubeadm frobnicate'
has "crictl with crio stopped" 1 "$CP" 'crictl ps' 'level=fatal msg="validate service connection: validate CRI v1 runtime API for endpoint'
has "init preflight: crio down, ip_forward 0 (errors), swap, kubelet not enabled, firewalld (warnings)" 1 "$CP" 'kubeadm init' \
  '[preflight] Running pre-flight checks' \
  $'\t[WARNING Firewalld]: firewalld is active, please ensure ports [6443 10250] are open or your cluster may not function correctly' \
  $'\t[WARNING Swap]: swap is supported for cgroup v2 only; the NodeSwap feature gate of the kubelet is beta but disabled by default' \
  $'\t[WARNING Service-Kubelet]: kubelet service is not enabled, please run \'systemctl enable kubelet.service\'' \
  'error execution phase preflight: [preflight] Some fatal errors occurred:' \
  $'\t[ERROR CRI]: container runtime is not running: output: time="' \
  'dial unix /var/run/crio/crio.sock: connect: no such file or directory' \
  $'\t[ERROR FileContent--proc-sys-net-ipv4-ip_forward]: /proc/sys/net/ipv4/ip_forward contents are not set to 1' \
  '[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`' \
  'To see the stack trace of this error execute with --v=5 or higher'
lacks "... kubeadm 1.30 has no bridge-nf-call-iptables check" "$CP" 'kubeadm init' 'bridge-nf-call-iptables'
is "... and wrote nothing" 0 'clean' "$CP" 'test -e /etc/kubernetes/admin.conf || test -e /etc/kubernetes/pki/ca.crt || echo clean'
has "join preflight on kubeadm 1.29 without br_netfilter" 1 "$W2" \
  'sysctl -qw net.ipv4.ip_forward=1; systemctl enable -q --now crio kubelet; kubeadm join 127.0.0.1:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:0000000000000000000000000000000000000000000000000000000000000000' \
  $'\t[ERROR FileContent--proc-sys-net-bridge-bridge-nf-call-iptables]: /proc/sys/net/bridge/bridge-nf-call-iptables does not exist'
has "init preflight: 1 CPU, 1024 MB" 1 "$W3" 'kubeadm init' \
  $'\t[ERROR NumCPU]: the number of available CPUs 1 is less than the required 2' \
  $'\t[ERROR Mem]: the system RAM (984 MB) is less than the minimum 1700 MB'
has "init with swap on (1.30: a warning) fails at the kubelet health check" 1 "$W3" \
  'modprobe br_netfilter; sysctl -qw net.ipv4.ip_forward=1; systemctl enable -q --now crio kubelet; kubeadm init --ignore-preflight-errors=NumCPU,Mem' \
  $'\t[WARNING NumCPU]: the number of available CPUs 1 is less than the required 2' \
  '[WARNING Swap]' '[kubelet-check] The kubelet is not healthy after 4m0' \
  'error execution phase wait-control-plane: could not initialize a Kubernetes cluster'
has "kubeadm reset -f (worker03)" 0 "$W3" 'kubeadm reset -f; ls -A /etc/kubernetes/manifests /var/lib/etcd; test -e /etc/kubernetes/admin.conf && echo admin.conf left; true' \
  '[reset] Stopping the kubelet service' \
  '[reset] Deleting contents of directories: [/etc/kubernetes/manifests /var/lib/kubelet /etc/kubernetes/pki]' \
  '[reset] Deleting files: [/etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf /etc/kubernetes/kubelet.conf /etc/kubernetes/bootstrap-kubelet.conf /etc/kubernetes/controller-manager.conf /etc/kubernetes/scheduler.conf]' \
  'The reset process does not clean CNI configuration. To do so, you must remove /etc/cni/net.d'
lacks "... nothing left" "$W3" 'ls -A /etc/kubernetes/manifests /var/lib/etcd /var/lib/kubelet; test -e /etc/kubernetes/admin.conf && echo admin.conf left; true' \
  'admin.conf left' '.yaml' 'sandbox-store'
is "reset without -f and no answer: aborted" 1 $'[reset] WARNING: Changes made to this host by \'kubeadm init\' or \'kubeadm join\' will be reverted.\n[reset] Are you sure you want to proceed? [y/N]: error execution phase preflight: won\'t proceed; the user didn\'t answer (Y|y) in order to continue\nTo see the stack trace of this error execute with --v=5 or higher' \
  "$W3" 'kubeadm reset </dev/null 2>&1 | grep -v "Unable to fetch"; exit ${PIPESTATUS[0]}'

# ---------------------------------------------------------------- init

PREP='swapoff -a; sed -i "/ swap /s/^/#/" /etc/fstab; modprobe br_netfilter; echo br_netfilter >/etc/modules-load.d/k8s.conf
printf "net.ipv4.ip_forward = 1\nnet.bridge.bridge-nf-call-iptables = 1\n" >/etc/sysctl.d/k8s.conf; sysctl -q --system
systemctl disable -q --now firewalld; rm -f /etc/cni/net.d/11-crio-ipv4-bridge.conflist
systemctl enable -q --now crio kubelet'
for h in "${HOSTS[@]}"; do run "$h" "$PREP" & done; wait
run "$CP" 'cat >/root/kubeadm.yaml <<EOF
apiVersion: kubeadm.k8s.io/v1beta3
kind: InitConfiguration
nodeRegistration:
  criSocket: unix:///var/run/crio/crio.sock
---
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
kubernetesVersion: v1.30.14
controlPlaneEndpoint: cp1:6443
networking:
  podSubnet: 192.168.0.0/16
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
EOF
chmod 600 /root/kubeadm.yaml'
is "init: --config cannot mix with --pod-network-cidr" 1 $'can not mix \'--config\' with arguments [pod-network-cidr]\nTo see the stack trace of this error execute with --v=5 or higher' \
  "$CP" 'kubeadm init --config /root/kubeadm.yaml --pod-network-cidr 10.0.0.0/16'
is "init: v1beta4 is unknown to kubeadm 1.30" 1 'no kind "InitConfiguration" is registered for version "kubeadm.k8s.io/v1beta4" in scheme "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31"' \
  "$CP" 'sed s/v1beta3/v1beta4/ /root/kubeadm.yaml >/root/b4.yaml; kubeadm init --config /root/b4.yaml 2>&1 | head -1; exit ${PIPESTATUS[0]}'
run "$CP" 'kubeadm init --config /root/kubeadm.yaml --upload-certs'
INIT=$OUT
if [[ $RC == 0 && $INIT == *"Your Kubernetes control-plane has initialized successfully!"* ]]; then pass "init --config --upload-certs"
else fail "init --config --upload-certs" "exit $RC" "$INIT"; fi
# The join commands as a playbook parses them: backslash-newline-whitespace joins lines.
flat=$(printf '%s\n' "$INIT" | sed -e ':a' -e '/\\$/{N;s/\\\n[[:space:]]*//;ba}')
WORKER_JOIN=$(printf '%s\n' "$flat" | grep '^kubeadm join' | tail -1)
CP_JOIN=$(printf '%s\n' "$flat" | grep '^  kubeadm join .*--control-plane' | sed 's/^  //')
TOKEN=$(sed -E 's/.*--token ([^ ]+).*/\1/' <<<"$WORKER_JOIN")
HASH=$(sed -E 's/.*--discovery-token-ca-cert-hash ([^ ]+).*/\1/' <<<"$WORKER_JOIN")
if [[ $WORKER_JOIN =~ ^kubeadm\ join\ cp1:6443\ --token\ [a-z0-9]{6}\.[a-z0-9]{16}\ --discovery-token-ca-cert-hash\ sha256:[0-9a-f]{64}\ $ ]]; then
  pass "init output: the worker join command (tab continuation, trailing space)"
else fail "init output: the worker join command" "$WORKER_JOIN"; fi
[[ $INIT == *$' \\\n\t--discovery-token-ca-cert-hash '* ]] && pass "... printed as 'TOKEN \\\\ + newline + TAB --discovery...'" ||
  fail "... continuation format" "$INIT"
[[ $CP_JOIN =~ --control-plane\ --certificate-key\ [0-9a-f]{64}$ ]] && pass "init output: control-plane join command with --certificate-key" ||
  fail "init output: control-plane join command" "$CP_JOIN"
is "the CA hash is sha256 of the CA's DER SubjectPublicKeyInfo" 0 "${HASH#sha256:}" "$CP" \
  'openssl x509 -pubkey -in /etc/kubernetes/pki/ca.crt | openssl rsa -pubin -outform der 2>/dev/null | sha256sum | cut -d" " -f1'
is "init wrote the kube files; kubelet runs; the API server listens on cp1:6443" 0 \
  $'/etc/kubernetes/admin.conf\n/etc/kubernetes/kubelet.conf\n/etc/kubernetes/manifests/etcd.yaml\n/etc/kubernetes/manifests/kube-apiserver.yaml\n/etc/kubernetes/pki/ca.crt\n/var/lib/kubelet/config.yaml\nactive\n-----BEGIN CERTIFICATE-----\nok' \
  "$CP" 'ls /etc/kubernetes/admin.conf /etc/kubernetes/kubelet.conf /etc/kubernetes/manifests/etcd.yaml /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/pki/ca.crt /var/lib/kubelet/config.yaml
         systemctl is-active kubelet; head -1 /etc/kubernetes/pki/ca.crt; curl -s 2>/dev/null; python3 -c "import socket; socket.create_connection((\"cp1\", 6443)); print(\"ok\")"'
has "re-init on the initialised control plane" 1 "$CP" 'kubeadm init --config /root/kubeadm.yaml' \
  $'\t[ERROR Port-6443]: Port 6443 is in use' \
  $'\t[ERROR FileAvailable--etc-kubernetes-manifests-kube-apiserver.yaml]: /etc/kubernetes/manifests/kube-apiserver.yaml already exists' \
  $'\t[ERROR Port-10250]: Port 10250 is in use' $'\t[ERROR DirAvailable--var-lib-etcd]: /var/lib/etcd is not empty'
is "kubectl get nodes (KUBECONFIG): cp1 NotReady before a CNI" 0 'cp1 NotReady control-plane v1.30.14' "$CP" \
  'KUBECONFIG=/etc/kubernetes/admin.conf kubectl get nodes --no-headers | awk "{ print \$1, \$2, \$3, \$5 }"'
is "kubectl with ~/.kube/config; a header line" 0 'NAME STATUS ROLES AGE VERSION' "$CP" \
  'mkdir -p ~/.kube && cp /etc/kubernetes/admin.conf ~/.kube/config && kubectl get nodes | head -1 | tr -s " "'

# ---------------------------------------------------------------- join

has "join: a token the cluster does not know" 1 "$W1" "kubeadm join cp1:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash $HASH" \
  "error execution phase preflight: couldn't validate the identity of the API Server: token id \"abcdef\" is invalid for this cluster or it has expired. Use \"kubeadm token create\" on the control-plane node to create a new valid token"
has "join: a wrong CA hash" 1 "$W1" "kubeadm join cp1:6443 --token $TOKEN --discovery-token-ca-cert-hash sha256:$(printf %064d 0)" \
  "couldn't validate the identity of the API Server: cluster CA found in cluster-info ConfigMap is invalid: none of the public keys \"$HASH\" are pinned"
has "join: a wrong endpoint (connection refused)" 1 "$W1" "kubeadm join cp1:6444 --token $TOKEN --discovery-token-ca-cert-hash $HASH" \
  "couldn't validate the identity of the API Server: Get \"https://cp1:6444/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s\": dial tcp cp1:6444: connect: connection refused"
has "join: no CA hash" 1 "$W1" "kubeadm join cp1:6443 --token $TOKEN" 'using token-based discovery without caCertHashes can be unsafe'
run "$CP" 'kubeadm token create --ttl 1s'; EXPIRED=$OUT
sleep 2
has "join: an expired token" 1 "$W1" "kubeadm join cp1:6443 --token $EXPIRED --discovery-token-ca-cert-hash $HASH" \
  "token id \"${EXPIRED%%.*}\" is invalid for this cluster or it has expired"
is "nothing written by the failed joins" 0 'clean' "$W1" 'test -e /etc/kubernetes/kubelet.conf || test -e /var/lib/kubelet/config.yaml || echo clean'
run "$W1" "umask 077; cat >/root/join.yaml <<EOF
apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
discovery:
  bootstrapToken:
    apiServerEndpoint: cp1:6443
    token: $TOKEN
    caCertHashes:
    - $HASH
nodeRegistration:
  criSocket: unix:///var/run/crio/crio.sock
EOF"
has "join --config JoinConfiguration (worker01)" 0 "$W1" 'kubeadm join --config /root/join.yaml && ls /etc/kubernetes/kubelet.conf /var/lib/kubelet/config.yaml && systemctl is-active kubelet' \
  '[preflight] Reading configuration from the cluster...' '[kubelet-start] Starting the kubelet' 'This node has joined the cluster:' \
  "Run 'kubectl get nodes' on the control-plane to see this node join the cluster." /etc/kubernetes/kubelet.conf active
has "re-join on a joined node" 1 "$W1" 'kubeadm join --config /root/join.yaml' \
  $'\t[ERROR FileAvailable--etc-kubernetes-kubelet.conf]: /etc/kubernetes/kubelet.conf already exists' \
  $'\t[ERROR Port-10250]: Port 10250 is in use' \
  $'\t[ERROR FileAvailable--etc-kubernetes-pki-ca.crt]: /etc/kubernetes/pki/ca.crt already exists'
run "$CP" 'kubeadm token create --print-join-command'; FRESH=$OUT
[[ $FRESH =~ ^kubeadm\ join\ cp1:6443\ --token\ [a-z0-9.]{23}\ --discovery-token-ca-cert-hash\ $HASH\ $ ]] &&
  pass "token create --print-join-command: one line" || fail "token create --print-join-command" "$FRESH"
has "join with the printed command (worker02, 1.29, after modprobe br_netfilter)" 0 "$W2" "$FRESH" 'This node has joined the cluster:'
has "join (worker03, swap now off)" 0 "$W3" "$WORKER_JOIN" 'This node has joined the cluster:'
has "token list" 0 "$CP" 'kubeadm token list' 'TOKEN                     TTL   EXPIRES' "$TOKEN   23h" 'authentication,signing'
lacks "... the expired token is gone" "$CP" 'kubeadm token list' "$EXPIRED"

# ---------------------------------------------------------------- nodes, CNI

is "get nodes: all NotReady before a CNI" 0 $'cp1 NotReady control-plane\nworker01 NotReady <none>\nworker02 NotReady <none>\nworker03 NotReady <none>' \
  "$CP" 'kubectl get nodes --no-headers | awk "{ print \$1, \$2, \$3 }"'
is "get nodes: worker02's kubelet version" 0 'v1.29.15' "$CP" 'kubectl get nodes worker02 --no-headers | awk "{ print \$5 }"'
is "wait times out while NotReady" 1 'error: timed out waiting for the condition on nodes/cp1' "$CP" 'kubectl wait --for=condition=Ready node --all --timeout=2s'
has "apply the Calico manifest (URL)" 0 "$CP" 'kubectl apply -f https://raw.githubusercontent.com/projectcalico/calico/v3.28.0/manifests/calico.yaml' \
  'daemonset.apps/calico-node created' 'clusterrole.rbac.authorization.k8s.io/calico-node created' 'serviceaccount/calico-node created'
has "apply again: unchanged" 0 "$CP" 'kubectl apply -f https://raw.githubusercontent.com/projectcalico/calico/v3.28.0/manifests/calico.yaml' \
  'daemonset.apps/calico-node unchanged'
is "wait --for=condition=Ready node --all" 0 $'node/cp1 condition met\nnode/worker01 condition met\nnode/worker02 condition met\nnode/worker03 condition met' \
  "$CP" 'kubectl wait --for=condition=Ready node --all --timeout=30s'
is "jsonpath Ready statuses" 0 'True True True True' "$CP" \
  'kubectl get nodes -o jsonpath="{.items[*].status.conditions[?(@.type==\"Ready\")].status}"'
is "-o wide columns" 0 'INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME' "$CP" 'kubectl get nodes -o wide | head -1 | tr -s " " | cut -d" " -f6-'
run "$W1" 'systemctl stop crio'
is "a node whose crio stops goes NotReady" 0 'worker01 NotReady' "$CP" 'kubectl get nodes worker01 --no-headers | awk "{ print \$1, \$2 }"'
run "$W1" 'systemctl start crio'
is "... and Ready again when it starts" 0 'worker01 Ready' "$CP" 'kubectl get nodes worker01 --no-headers | awk "{ print \$1, \$2 }"'
is "kubectl errors: unknown command, flag, resource type" 1 $'error: unknown command "nodez" for "kubectl"\nerror: unknown flag: --bogus\nSee \'kubectl get --help\' for usage.\nerror: the server doesn\'t have a resource type "widgets"' \
  "$CP" 'kubectl nodez; kubectl get nodes --bogus; kubectl get widgets'
has "a worker's kubelet.conf is not an admin" 1 "$W1" \
  'printf "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n" >/tmp/ns.yaml; kubectl --kubeconfig /etc/kubernetes/kubelet.conf apply -f /tmp/ns.yaml' \
  'Error from server (Forbidden): User "system:node:worker01" cannot post this resource'
has "get pods -A" 0 "$CP" 'kubectl get pods -A' 'NAMESPACE     NAME' 'kube-apiserver-cp1' 'calico-node-'

# ---------------------------------------------------------------- reset, restart

has "reset a worker" 0 "$W1" 'kubeadm reset -f' '[reset] Stopping the kubelet service'
is "... it goes NotReady; the Node stays until deleted" 0 $'worker01 Unknown\nnode "worker01" deleted' "$CP" \
  'kubectl get nodes worker01 -o jsonpath="{.metadata.name} {.status.conditions[?(@.type==\"Ready\")].status}"; echo; kubectl delete node worker01'
has "... and joins again" 0 "$W1" "$WORKER_JOIN" 'This node has joined the cluster:'
if out=$("$FLEET" stop-host "$DIR" cp1 2>&1 && "$FLEET" start-host "$DIR" cp1 2>&1); then pass "restart cp1"; else fail "restart cp1" "$out"; fi
is "after the restart the kubelet brought the API server back" 0 $'cp1 Ready\nworker01 Ready' "$CP" \
  'kubectl get nodes --no-headers | awk "NR <= 2 { print \$1, \$2 }"'
has "init phase upload-certs --upload-certs" 0 "$CP" 'kubeadm init phase upload-certs --upload-certs' \
  '[upload-certs] Using certificate key:'

# ---------------------------------------------------------------- down

for h in "${HOSTS[@]}"; do ssh "${SSH_OPTS[@]}" -O exit "root@$h" >/dev/null 2>&1; done
if out=$("$FLEET" down "$DIR" 2>&1); then pass "down"; else fail "down" "$out"; fi
local_left=$(ss -Hltn "src 127.0.$NET.0/24")
[[ -z $local_left ]] && pass "nothing listens on 127.0.$NET.x any more" || fail "listeners left" "$local_left"

echo "# took $(( SECONDS - started )) s"
echo "$PASSED passed, $FAILED failed"
(( FAILED == 0 ))
