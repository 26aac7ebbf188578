#!/usr/bin/env bash
# sandbox-fleet's --cgroup and the Kubernetes stand-ins on either hierarchy, on their own 1+1
# fleet (net 90, port 2490): cp1 boots cgroup v1 (Rocky 8's default), worker01 cgroup v2.
# Each host's /sys/fs/cgroup is a real mount in its own namespace (v1: a tmpfs with this
# machine's v1 hierarchies under it; v2: cgroup2), and this machine's mounts stay as they
# were, while the fleet is up and after `down`. Then on v1: kubelet and kubeadm 1.34 as
# before; kubeadm 1.35's upgrade apply fails SystemVerification (the kubelet one minor up),
# passes when the check is skipped; kubelet 1.35 then refuses to start (exit, restart loop,
# the node NotReady) until failCgroupV1: false; a fresh 1.35 init fails SystemVerification
# even so (kubeadm does not read that setting), and once skipped it needs failCgroupV1: false
# in its KubeletConfiguration. On v2 a fresh 1.35 init needs none of it.
# Usage: sandbox-cgroup-test.sh [SANDBOX_FLEET_SCRIPT]   (needs root)
# The single-quoted scripts run on the hosts, expanded there.
# shellcheck disable=SC2016
set -uo pipefail
fleet=$(realpath "${1:-$(dirname "$0")/../../scripts/sandbox-fleet}")
work=$(mktemp -d)
dir=$work/fleet
trap '"$fleet" down "$dir" >/dev/null 2>&1; rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"

# onh HOST SCRIPT: runs SCRIPT with bash as root on HOST, stdout and stderr merged into
# $work/out (what check prints on a failure), its status in $work/rc.
onh() { on "$1" bash -c "exec 2>&1
$2" >"$work/out"; echo $? >"$work/rc"; }
output() { cat "$work/out"; }
# This machine's mounts at or under /sys/fs/cgroup (other fleets may come and go meanwhile).
machine_cgroups() { awk '$5 == "/sys/fs/cgroup" || index($5, "/sys/fs/cgroup/") == 1' /proc/self/mountinfo | sort; }
# The directories of this machine's v1 hierarchies under /sys/fs/cgroup.
machine_v1_dirs() { awk '{ for (i = 7; $i != "-"; i++); if ($(i + 1) == "cgroup") { sub(".*/", "", $5); print $5 } }' /proc/self/mountinfo | sort | tr '\n' ' '; }
SYSVER='cgroups v1 support is deprecated and will be removed in a future release\. Please migrate to cgroups v2\. To explicitly enable cgroups v1 support for kubelet v1\.35 or newer, you must set the kubelet configuration option .FailCgroupV1. to .false.\. You must also explicitly skip this validation\. For more information, see https://git\.k8s\.io/enhancements/keps/sig-node/5573-remove-cgroup-v1'
REFUSED='"command failed" err="failed to validate kubelet configuration, error: kubelet is configured to not run on a host using cgroup v1\. cgroup v1 support is unsupported and will be removed in a future release, path: &TypeMeta\{Kind:,APIVersion:,\}"'
# The patterns the checks use (expanded inside check's eval: they hold quotes).
ERR_SYSVER=$'^\t\\[ERROR SystemVerification\\]: '"$SYSVER\$"
WARN_SYSVER=$'^\t\\[WARNING SystemVerification\\]: '"$SYSVER\$"
JOURNAL="kubelet\\[[0-9]+\\]: E[0-9]{4} [0-9:.]+ +[0-9]+ run\\.go:72\\] $REFUSED\$"
BY_HAND="^E[0-9]{4} [0-9:.]+ +[0-9]+ run\\.go:72\\] $REFUSED\$"

# ---------------------------------------------------------------- the hierarchies
before=$(machine_cgroups)
"$fleet" up --net 90 --port 2490 --cgroup worker01=v2 2 "$dir" >"$work/out" 2>&1
check "up --cgroup worker01=v2 2" "[ \$? = 0 ]"
"$fleet" status "$dir" >"$work/out"
check "status: cp1 booted cgroup v1 (the default), worker01 v2" "has '^cp1 +127\.0\.90\.1:2490 up +cgroup v1\$' && has '^worker01 +127\.0\.90\.2:2490 up +cgroup v2\$'"
onh cp1 'stat -fc %T /sys/fs/cgroup/; ls /sys/fs/cgroup/cgroup.controllers; grep -c " - cgroup2 " /proc/self/mountinfo; grep "^cgroup=" /etc/sandbox/hardware; ls /sys/fs/cgroup | tr "\n" " "'
check "cp1 (v1): stat -fc %T says tmpfs, no cgroup.controllers, no cgroup2 mount, cgroup=v1 in its hardware file" \
  "has '^tmpfs\$' && has 'cannot access .*cgroup\.controllers' && has '^0\$' && has '^cgroup=v1\$'"
check "cp1 (v1): this machine's v1 hierarchies under its tmpfs, nothing else" "[ \"\$(tail -n 1 '$work/out')\" = \"\$(machine_v1_dirs)\" ]"
onh cp1 'for d in /sys/fs/cgroup/*; do stat -fc %T "$d"; done | sort -u'
check "cp1 (v1): each of them is a cgroup (v1) file system" "[ -z \"\$(machine_v1_dirs)\" ] || [ \"\$(output)\" = cgroupfs ]"
onh worker01 'stat -fc %T /sys/fs/cgroup/; test -f /sys/fs/cgroup/cgroup.controllers && echo has-controllers; grep -c " - cgroup " /proc/self/mountinfo; grep "^cgroup=" /etc/sandbox/hardware'
check "worker01 (v2): stat -fc %T says cgroup2fs, cgroup.controllers there, no v1 mount, cgroup=v2" \
  "has '^cgroup2fs\$' && has '^has-controllers\$' && has '^0\$' && has '^cgroup=v2\$'"
check "this machine's cgroup mounts unchanged while the fleet is up" "[ \"\$(machine_cgroups)\" = \"\$before\" ]"

# A reboot takes the hardware file's cgroup= (as a changed kernel command line would).
on worker01 sed -i 's/^cgroup=v2$/cgroup=v1/' /etc/sandbox/hardware
"$fleet" stop-host "$dir" worker01 >/dev/null && "$fleet" start-host "$dir" worker01 >/dev/null
onh worker01 'stat -fc %T /sys/fs/cgroup/'
check "worker01 with cgroup=v1 in its hardware file, restarted: tmpfs" "[ \"\$(output)\" = tmpfs ]"
on worker01 sed -i 's/^cgroup=v1$/cgroup=v2/' /etc/sandbox/hardware
"$fleet" stop-host "$dir" worker01 >/dev/null && "$fleet" start-host "$dir" worker01 >/dev/null
onh worker01 'stat -fc %T /sys/fs/cgroup/'
check "... and back to v2 the same way: cgroup2fs" "[ \"\$(output)\" = cgroup2fs ]"
check "this machine's cgroup mounts still unchanged" "[ \"\$(machine_cgroups)\" = \"\$before\" ]"

# ---------------------------------------------------------------- Kubernetes 1.34 on cgroup v1
# repos MINOR: the pkgs.k8s.io repositories of that minor (Kubernetes and CRI-O).
repos() {
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
EOF
}
PREP='swapoff -a; modprobe br_netfilter; sysctl -qw net.ipv4.ip_forward=1; sysctl -qw net.bridge.bridge-nf-call-iptables=1
systemctl disable -q --now firewalld; systemctl enable -q --now crio kubelet'
onh cp1 "$(repos 1.34)"$'\n''dnf install -y -q --disableexcludes=kubernetes kubelet-1.34.1 kubeadm-1.34.1 kubectl-1.34.1 cri-o >/dev/null 2>&1 || exit 9
'"$PREP"'
kubeadm init --pod-network-cidr 192.168.0.0/16; systemctl is-active kubelet
kubectl --kubeconfig /etc/kubernetes/admin.conf get node cp1 --no-headers | awk "{ print \$2, \$5 }"'
check "1.34 on cgroup v1 as before: kubeadm init with no SystemVerification check, the kubelet runs, cp1 Ready at v1.34.1" \
  "[ \$(rc) = 0 ] && ! has SystemVerification && has '^active\$' && has '^Ready v1\.34\.1\$'"

# ---------------------------------------------------------------- kubeadm 1.35 upgrades on cgroup v1
onh cp1 'sed -i "s#/v1\.34/#/v1.35/#g" /etc/yum.repos.d/kubernetes.repo /etc/yum.repos.d/cri-o.repo
dnf install -y -q --disableexcludes=kubernetes kubeadm-1.35.0 >/dev/null 2>&1 || exit 9
kubeadm upgrade apply v1.35.0 -y; echo "rc=$?"; grep -h "image: registry.k8s.io/kube-apiserver" /etc/kubernetes/manifests/kube-apiserver.yaml'
check "kubeadm 1.35 upgrade apply with kubelet 1.34 (checked as 1.35, the version it is about to get): SystemVerification fails, nothing changed" \
  "has '^rc=1\$' && has '^error: error execution phase preflight: \[preflight\] Some fatal errors occurred:\$' && has \"\$ERR_SYSVER\" && has 'kube-apiserver:v1\.34\.1\$'"
onh cp1 'kubeadm upgrade apply v1.35.0 -y --ignore-preflight-errors=SystemVerification'
check "... skipped explicitly: a warning, and the upgrade goes on" \
  "[ \$(rc) = 0 ] && has \"\$WARN_SYSVER\" && has 'upgraded to \"v1\.35\.0\"'"
onh cp1 'dnf install -y -q --disableexcludes=kubernetes kubelet-1.35.0 kubectl-1.35.0 >/dev/null 2>&1 || exit 9
systemctl restart kubelet; systemctl is-active kubelet; sleep 1
kubectl --kubeconfig /etc/kubernetes/admin.conf get node cp1 --no-headers | awk "{ print \$2 }"'
check "kubelet 1.35 on cgroup v1 (failCgroupV1 defaults to true): exits and restarts, never active; the node NotReady" \
  "has '^activating\$' && has '^NotReady\$'"
onh cp1 'systemctl status kubelet'
check "systemctl status kubelet: auto-restart, exit status 1, the kubelet's error in the journal lines" \
  "[ \$(rc) = 3 ] && has '^   Active: activating \(auto-restart\) \(Result: exit-code\)' && has '^ Main PID: [0-9]+ \(code=exited, status=1/FAILURE\)\$' && has \"\$JOURNAL\" && has \"systemd\\[1\\]: kubelet.service: Failed with result 'exit-code'\\.\\\$\""
onh cp1 'kubelet --config=/var/lib/kubelet/config.yaml'
check "kubelet run by hand: the same error, exit 1" "[ \$(rc) = 1 ] && has \"\$BY_HAND\""
onh cp1 'echo "failCgroupV1: false" >>/var/lib/kubelet/config.yaml; systemctl restart kubelet; systemctl is-active kubelet; sleep 1
kubectl --kubeconfig /etc/kubernetes/admin.conf get node cp1 --no-headers | awk "{ print \$2, \$5 }"'
check "with failCgroupV1: false in its configuration it runs: cp1 Ready at v1.35.0" "[ \"\$(output)\" = \$'active\nReady v1.35.0' ]"

# ---------------------------------------------------------------- a fresh 1.35 init on cgroup v1
onh cp1 'kubeadm reset -f >/dev/null 2>&1; mkdir -p /var/lib/kubelet; echo "failCgroupV1: false" >/var/lib/kubelet/config.yaml
kubeadm init --pod-network-cidr 192.168.0.0/16'
check "kubeadm 1.35 init on cgroup v1 with kubelet 1.35: SystemVerification fails (a failCgroupV1: false on disk does not count)" \
  "[ \$(rc) = 1 ] && has \"\$ERR_SYSVER\" && ! has '\[kubelet-start\]'"
onh cp1 'kubeadm init --pod-network-cidr 192.168.0.0/16 --ignore-preflight-errors=SystemVerification'
check "... skipped: a warning, but the configuration kubeadm writes lets the kubelet refuse: init fails at kubelet-check" \
  "[ \$(rc) = 1 ] && has \"\$WARN_SYSVER\" && has 'The kubelet is not healthy' && has 'could not initialize a Kubernetes cluster'"
onh cp1 'kubeadm reset -f >/dev/null 2>&1; cat >/root/kubeadm.yaml <<EOF
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  ignorePreflightErrors: [SystemVerification]
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 192.168.0.0/16
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
EOF
kubeadm init --config /root/kubeadm.yaml; systemctl is-active kubelet'
check "... with failCgroupV1: false in its KubeletConfiguration as well: init succeeds, the kubelet runs" \
  "[ \$(rc) = 0 ] && has 'initialized successfully' && has '^active\$' && has 'WARNING SystemVerification'"

# ---------------------------------------------------------------- 1.35 on cgroup v2
onh worker01 "$(repos 1.35)"$'\n''dnf install -y -q --disableexcludes=kubernetes kubelet-1.35.0 kubeadm-1.35.0 kubectl-1.35.0 cri-o >/dev/null 2>&1 || exit 9
'"$PREP"'
kubeadm init --pod-network-cidr 192.168.0.0/16; systemctl is-active kubelet; kubelet --config=/var/lib/kubelet/config.yaml'
check "1.35 on cgroup v2: kubeadm init with no SystemVerification complaint, the kubelet runs without failCgroupV1: false" \
  "has 'initialized successfully' && ! has SystemVerification && ! grep -q failCgroupV1 <(on worker01 cat /var/lib/kubelet/config.yaml) && has '^active\$' && ! has 'cgroup v1'"

# ---------------------------------------------------------------- down
"$fleet" down "$dir" >/dev/null 2>&1
check "after down: this machine's cgroup mounts exactly as before, nothing of the fleet mounted" \
  "[ \"\$(machine_cgroups)\" = \"\$before\" ] && ! grep -qF '$dir' /proc/self/mountinfo"
finish
