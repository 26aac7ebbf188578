#!/usr/bin/env bash
# Integration test for the sandbox hosts' stand-ins of the RHEL tools (scripts/sandbox/):
# dnf/yum, rpm, systemctl, sysctl, modprobe/lsmod, getenforce/setenforce, swapon/swapoff,
# firewall-cmd, curl, nproc, ip, df, and what `sandbox-fleet up` sets up for them.
#
# Usage: tests/integration/sandbox-standins-test.sh [DIR_PARENT]   (default /tmp)
# Brings up 2 hosts (worker01 with other simulated hardware) on a random free port,
# drives each stand-in over real ssh the way a playbook does, including the failure modes
# (a repository that cannot be reached, an excluded package, a masked unit, a bridge
# sysctl before br_netfilter, swap, firewalld not running), checks that what one host
# does stays in that host, restarts a host, tears the fleet down and checks nothing is
# left. Needs root. Prints "N passed, M failed"; exits 1 if anything failed.
#
# The single-quoted scripts run on the hosts, expanded there.
# shellcheck disable=SC2016,SC2029
set -uo pipefail

PARENT=${1:-/tmp}
FLEET=$(realpath "$(dirname "$0")/../../scripts/sandbox-fleet")
mkdir -p "$PARENT"
DIR=$(mktemp -d "$(realpath "$PARENT")/sandbox-standins-test.XXXXXX")
SCRATCH=$(mktemp -d /tmp/sandbox-standins-scratch.XXXXXX)   # never inside DIR: down must find DIR empty
PASSED=0 FAILED=0
H1=127.0.77.1 H2=127.0.77.2

# ---------------------------------------------------------------- checking

pass() { PASSED=$(( PASSED + 1 )); echo "ok   $1"; }
fail() {
  FAILED=$(( FAILED + 1 ))
  echo "FAIL $1"
  shift
  local line
  for line; do printf '%s\n' "$line" | sed 's/^/     | /'; done
}

# run HOST SCRIPT: runs SCRIPT on HOST (root, through /bin/sh like a module), OUT = its
# stdout+stderr, RC = its exit status.
run() {
  OUT=$(ssh "${SSH_OPTS[@]}" "root@$1" "$2" 2>&1)
  RC=$?
}

# is DESC RC WANT HOST SCRIPT: exit status RC and output exactly WANT.
is() {
  local desc=$1 want_rc=$2 want=$3
  run "$4" "$5"
  if [[ $RC == "$want_rc" && $OUT == "$want" ]]; then pass "$desc"
  else fail "$desc" "wanted exit $want_rc and:" "$want" "got exit $RC and:" "$OUT"
  fi
}

# has DESC RC HOST SCRIPT WANT...: exit status RC (or * for any) and every WANT in the output.
has() {
  local desc=$1 want_rc=$2 host=$3 script=$4 w missing=()
  shift 4
  run "$host" "$script"
  for w; do [[ $OUT == *"$w"* ]] || missing+=("$w"); done
  if [[ ($want_rc == '*' || $RC == "$want_rc") && ${#missing[@]} == 0 ]]; then pass "$desc"
  else fail "$desc" "wanted exit $want_rc and output containing:" "${missing[@]:-(all present)}" "got exit $RC and:" "$OUT"
  fi
}

# local_is DESC WANT CMD...: a check on this machine.
local_is() {
  local desc=$1 want=$2 out
  shift 2
  out=$("$@" 2>&1)
  if [[ $out == "$want" ]]; then pass "$desc"; else fail "$desc" "wanted:" "$want" "got:" "$out"; fi
}

cleanup() {
  ssh "${SSH_OPTS[@]}" -O exit "root@$H1" >/dev/null 2>&1
  ssh "${SSH_OPTS[@]}" -O exit "root@$H2" >/dev/null 2>&1
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

# ---------------------------------------------------------------- the fleet

PORT=$(pick_free_port)
# One connection per host, reused by every check (ControlMaster): the checks stay cheap.
SSH_OPTS=(-F /dev/null -o "UserKnownHostsFile=$DIR/known_hosts" -o StrictHostKeyChecking=yes
          -o BatchMode=yes -o ConnectTimeout=5 -o IdentitiesOnly=yes -i "$DIR/id_ed25519" -p "$PORT"
          -o ControlMaster=auto -o "ControlPath=$SCRATCH/cm-%h" -o ControlPersist=120)
started=$SECONDS
echo "# fleet in $DIR, port $PORT"
machine_forward=$(cat /proc/sys/net/ipv4/ip_forward)
machine_swaps=$(cat /proc/swaps)
if ! out=$("$FLEET" up --port "$PORT" --cpus worker01=4 --memory-mb worker01=1024 2 "$DIR" 2>&1); then
  fail "up 2 hosts" "$out"
  echo "$PASSED passed, $FAILED failed"
  exit 1
fi
pass "up 2 hosts (worker01: 4 CPUs, 1024 MB)"
printf '%s\n' "$out" | head -1 | sed 's/^/#   /'

# ---------------------------------------------------------------- what a fresh host has

is "the stand-ins are first in root's PATH" 0 \
'/usr/bin/dnf
/usr/bin/yum
/usr/bin/rpm
/usr/bin/systemctl
/usr/sbin/sysctl
/usr/sbin/modprobe
/usr/sbin/lsmod
/usr/sbin/getenforce
/usr/sbin/setenforce
/usr/sbin/swapon
/usr/sbin/swapoff
/usr/bin/firewall-cmd
/usr/bin/curl
/usr/bin/nproc
/usr/sbin/ip
/usr/bin/df' "$H1" 'for c in dnf yum rpm systemctl sysctl modprobe lsmod getenforce setenforce swapon swapoff firewall-cmd curl nproc ip df; do command -v $c; done'
is "... and in sudo's secure_path (deploy)" 0 $'/usr/bin/dnf\n/usr/sbin/sysctl' "$H1" 'sudo -n sh -c "command -v dnf; command -v sysctl"'
is "a fresh host has no kubectl, kubeadm, apt or tc (the machine's are hidden)" 0 "" "$H2" \
  'for c in kubectl kubeadm kubelet apt-get dpkg tc crictl; do command -v $c; done; true'
is "rpm -q: installed and not installed (exit = number missing)" 2 \
  $'bash-4.4.20-4.el8_6.x86_64\npackage kubelet is not installed\npackage no-such-pkg is not installed' \
  "$H1" 'rpm -q bash kubelet no-such-pkg'
is "rpm -q --qf" 0 $'4.4.20\nfirewalld 0.9.11-1.el8 noarch' "$H1" \
  "rpm -q --qf '%{VERSION}\n' bash; rpm -q --qf '%{NAME} %{VERSION}-%{RELEASE} %{ARCH}\n' firewalld"
has "rpm -qa lists a Rocky 8 install" 0 "$H1" 'rpm -qa | sort' \
  'rocky-release-8.9-1.6.el8.noarch' 'systemd-239-78.el8.x86_64' 'gpg-pubkey-6d745a60-60287f36'
is "rpm: unknown option" 1 "rpm: --bogus: unknown option" "$H1" 'rpm --bogus -q bash'
is "rpm -e of what the system needs fails" 1 \
  $'error: Failed dependencies:\n\tbash is needed by (installed) systemd-239-78.el8.x86_64' "$H1" 'rpm -e bash'
is "dnf repolist: the Rocky repositories" 0 \
'repo id                                               repo name
appstream                                             Rocky Linux 8 - AppStream
baseos                                                Rocky Linux 8 - BaseOS
extras                                                Rocky Linux 8 - Extras' "$H1" 'dnf repolist'
is "Rocky's repo files, fstab and SELinux config" 0 \
  $'mirrorlist=https://mirrors.rockylinux.org/mirrorlist?arch=$basearch&repo=BaseOS-$releasever\n/dev/mapper/rl-swap     none                    swap    defaults        0 0\nSELINUX=enforcing\nSELINUXTYPE=targeted' \
  "$H1" 'grep ^mirrorlist /etc/yum.repos.d/Rocky-BaseOS.repo; grep swap /etc/fstab; grep ^SELINUX /etc/selinux/config'
is "getenforce / sestatus" 0 $'Enforcing\nCurrent mode:                   enforcing' "$H1" 'getenforce; sestatus | grep "^Current mode"'
is "simulated hardware: nproc, /proc/cpuinfo, free (cp1: defaults)" 0 $'2 2 3936' "$H1" \
  'echo $(nproc) $(grep -c ^processor /proc/cpuinfo) $(free -m | awk "/^Mem:/ { print \$2 }")'
is "simulated hardware: worker01 was given 4 CPUs and 1024 MB" 0 $'4 4 4 984' "$H2" \
  'echo $(nproc) $(grep -c ^processor /proc/cpuinfo) $(getconf _NPROCESSORS_ONLN) $(free -m | awk "/^Mem:/ { print \$2 }")'
is "each host has its own MAC" 0 $'52:54:00:4d:00:01\n52:54:00:4d:00:01' "$H1" \
  'ip link show eth0 | awk "/ether/ { print \$2 }"; cat /sys/class/net/eth0/address'
is "... and worker01 another" 0 '52:54:00:4d:00:02' "$H2" 'ip -o link | awk "/eth0/ { print \$(NF-2) }"'
has "df: the root LV of a 40 GB disk" 0 "$H1" 'df -hT /' '/dev/mapper/rl-root xfs' ' /'
is "hostnamectl set-hostname: /etc/hostname and the host's own name" 0 $'cp1.sandbox.test\ncp1.sandbox.test\ncp1.sandbox.test' "$H1" \
  'hostnamectl set-hostname cp1.sandbox.test && hostnamectl --static && hostname && cat /proc/sys/kernel/hostname; hostnamectl set-hostname cp1'

# ---------------------------------------------------------------- dnf and repositories

is "an unreachable repository breaks dnf like real dnf" 1 \
"Errors during downloading metadata for repository 'bogus':
  - Curl error (6): Couldn't resolve host name for https://repo.example.com/el8/repodata/repomd.xml [Could not resolve host: repo.example.com]
Error: Failed to download metadata for repo 'bogus': Cannot download repomd.xml: Cannot download repodata/repomd.xml: All mirrors were tried" \
  "$H1" 'printf "[bogus]\nname=Sandbox Mirror\nbaseurl=https://repo.example.com/el8/\nenabled=1\ngpgcheck=0\n" >/etc/yum.repos.d/bogus.repo
         dnf -q install -y socat; rc=$?; rm -f /etc/yum.repos.d/bogus.repo; exit $rc'
is "a pkgs.k8s.io minor that does not exist answers 404" 1 \
"  - Status code: 404 for https://pkgs.k8s.io/core:/stable:/v1.9/rpm/repodata/repomd.xml (IP: 34.107.204.206)
Error: Failed to download metadata for repo 'k8s-old': Cannot download repomd.xml: Cannot download repodata/repomd.xml: All mirrors were tried" \
  "$H1" 'printf "[k8s-old]\nname=K8s\nbaseurl=https://pkgs.k8s.io/core:/stable:/v1.9/rpm/\n" >/etc/yum.repos.d/old.repo
         dnf -q install -y kubelet 2>&1 | grep -E "^Error:|Status code"; rm -f /etc/yum.repos.d/old.repo; exit 1'
# the repository exactly as the notes and the yum_repository module write it
run "$H1" 'cat >/etc/yum.repos.d/kubernetes.repo <<EOF
[kubernetes]
baseurl = https://pkgs.k8s.io/core:/stable:/v1.30/rpm/
enabled = 1
exclude = kubelet kubeadm kubectl cri-tools kubernetes-cni
gpgcheck = 1
gpgkey = https://pkgs.k8s.io/core:/stable:/v1.30/rpm/repodata/repomd.xml.key
name = Kubernetes

EOF'
is "an excluded package: no match without --disableexcludes" 1 \
  $'All matches were filtered out by exclude filtering for argument: kubelet\nError: Unable to find a match: kubelet' "$H1" 'dnf install -y kubelet >/tmp/out 2>&1; rc=$?; grep -v "^Last metadata\|B/s" /tmp/out; exit $rc'
has "dnf install name-version --disableexcludes=kubernetes" 0 "$H1" \
  'dnf install -y --disableexcludes=kubernetes kubelet-1.30.2 kubeadm-1.30.2 kubectl-1.30.2' \
  'Installing:' ' kubeadm ' '1.30.2-150500.1.1' 'Installing dependencies:' ' cri-tools ' 'kubernetes-cni' \
  'Importing GPG key 0x9A296436:' 'Key imported successfully' 'Complete!'
is "the packages are installed, with their payloads" 1 \
'kubeadm-1.30.2-150500.1.1.x86_64
cri-tools-1.30.1-150500.1.1.x86_64
Kubernetes v1.30.2
v1.30.2
Client Version: v1.30.2
/usr/lib/systemd/system/kubelet.service
/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf
error execution phase preflight: [preflight] Some fatal errors occurred:' "$H1" \
  'rpm -q kubeadm cri-tools; kubelet --version; kubeadm version -o short; kubectl version --client | head -1
   ls /usr/lib/systemd/system/kubelet.service /usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf
   kubeadm init 2>&1 | grep "^error execution"; exit ${PIPESTATUS[0]}'
is "installing again: nothing to do" 0 \
  $'Package kubeadm-1.30.2-150500.1.1.x86_64 is already installed.\nDependencies resolved.\nNothing to do.\nComplete!' \
  "$H1" 'dnf install -y --disableexcludes=kubernetes kubeadm-1.30.2 | grep -v "^Last metadata"'
is "a version glob matches the installed package" 0 'Package cri-tools-1.30.1-150500.1.1.x86_64 is already installed.' \
  "$H1" "dnf install -y --disableexcludes=kubernetes 'cri-tools-1.30.*' | grep ^Package"
is "dnf list installed" 0 'kubeadm.x86_64 1.30.2-150500.1.1 @kubernetes' "$H1" \
  'dnf list installed kubeadm | awk "NR > 1 { print \$1, \$2, \$3 }"'
is "check-update sees newer patches only with the excludes disabled" 0 $'0\n100' "$H1" \
  'dnf -q check-update kubeadm >/dev/null; echo $?; dnf -q check-update --disableexcludes=kubernetes kubeadm >/dev/null; echo $?'
is "dnf: unknown option" 1 'Command line error: unrecognized arguments: --bogus' "$H1" 'dnf install -y --bogus socat | grep -v "^ \|^usage"'
is "dnf without -y and no terminal: aborted" 1 'Operation aborted.' "$H1" 'dnf install tar </dev/null 2>&1 >/dev/null'
has "CRI-O from the openSUSE isv repository (container-selinux from AppStream)" 0 "$H1" \
  'printf "[cri-o]\nname=CRI-O\nbaseurl=https://download.opensuse.org/repositories/isv:/cri-o:/stable:/v1.30/rpm/\nenabled=1\ngpgcheck=1\ngpgkey=https://download.opensuse.org/repositories/isv:/cri-o:/stable:/v1.30/rpm/repodata/repomd.xml.key\n" >/etc/yum.repos.d/cri-o.repo
   dnf install -y cri-o && rpm -q cri-o container-selinux && grep ^conmon /etc/crio/crio.conf && crio --version | head -1' \
  'container-selinux' 'cri-o-1.30.14-150500.1.1.x86_64' 'conmon = "/usr/libexec/crio/conmon"' 'crio version 1.30.14'
is "dnf remove (and rpm's database file rewritten in place, as rpm 4.14's Packages)" 0 \
  $'package kubectl is not installed\nno /usr/bin/kubectl\nPackages rewritten, same inode\nno kubectl in it' "$H1" \
  'i=$(stat -c %i /var/lib/rpm/Packages); t=$(stat -c %Z /var/lib/rpm/Packages); sleep 1
   dnf remove -y kubectl >/dev/null && rpm -q kubectl; test -e /usr/bin/kubectl || echo no /usr/bin/kubectl
   [ "$(stat -c %i /var/lib/rpm/Packages)" = "$i" ] && [ "$(stat -c %Z /var/lib/rpm/Packages)" -gt "$t" ] && echo Packages rewritten, same inode
   grep -q "^kubectl-" /var/lib/rpm/Packages || echo no kubectl in it; true'

# ---------------------------------------------------------------- systemctl

is "systemctl: an unknown unit" 5 'Failed to start foo.service: Unit foo.service not found.' "$H1" 'systemctl start foo'
is "systemctl show (systemd's order), is-active, is-enabled" 0 \
  $'LoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=enabled\nactive\nenabled' \
  "$H1" 'systemctl show -p ActiveState,SubState,UnitFileState,LoadState sshd; systemctl is-active sshd; systemctl is-enabled sshd'
is "systemctl show of a unit that does not exist" 0 $'LoadState=not-found\nActiveState=inactive\nUnitFileState=' \
  "$H1" 'systemctl show -p LoadState,ActiveState,UnitFileState no-such-unit'
is "enable --now kubelet: the real symlink; it restarts until configured" 3 \
'Created symlink /etc/systemd/system/multi-user.target.wants/kubelet.service → /usr/lib/systemd/system/kubelet.service.
/usr/lib/systemd/system/kubelet.service
activating' "$H1" 'systemctl enable --now kubelet; readlink /etc/systemd/system/multi-user.target.wants/kubelet.service; systemctl is-active kubelet'
is "kubelet runs once it has its config (swap tolerated by failSwapOn: false)" 0 'active' "$H1" \
  'mkdir -p /var/lib/kubelet && printf "kind: KubeletConfiguration\nfailSwapOn: false\n" >/var/lib/kubelet/config.yaml && systemctl is-active kubelet'
is "a masked unit cannot start" 1 \
'Created symlink /etc/systemd/system/crio.service → /dev/null.
Failed to start crio.service: Unit crio.service is masked.
masked
inactive' "$H1" 'systemctl mask crio; systemctl start crio; rc=$?; systemctl is-enabled crio; systemctl is-active crio; exit $rc'
is "unmask, start crio" 0 $'Removed /etc/systemd/system/crio.service.\nactive' "$H1" 'systemctl unmask crio && systemctl start crio && systemctl is-active crio'

# ---------------------------------------------------------------- sysctl and modules (worker01)

is "a bridge sysctl before br_netfilter: no such key" 255 \
  'sysctl: cannot stat /proc/sys/net/bridge/bridge-nf-call-iptables: No such file or directory' \
  "$H2" 'test ! -e /proc/sys/net/bridge && sysctl net.bridge.bridge-nf-call-iptables'
is "modprobe of a module that does not exist" 1 \
  "modprobe: FATAL: Module no_such_mod not found in directory /lib/modules/$(uname -r)" "$H2" 'modprobe no_such_mod'
is "modprobe br_netfilter: lsmod, the bridge keys in sysctl and /proc/sys" 0 \
  $'br_netfilter           24576  0\nbridge                290816  1 br_netfilter\nnet.bridge.bridge-nf-call-iptables = 1\n1' \
  "$H2" 'modprobe br_netfilter && lsmod | grep -E "^(br_netfilter|bridge) " && sysctl net.bridge.bridge-nf-call-iptables && cat /proc/sys/net/bridge/bridge-nf-call-ip6tables'
is "sysctl defaults, -w, -n" 0 $'0\n60\nnet.ipv4.ip_forward = 1\n1\n1' "$H2" \
  'sysctl -n net.ipv4.ip_forward; sysctl -n vm.swappiness; sysctl -w net.ipv4.ip_forward=1; cat /proc/sys/net/ipv4/ip_forward; sysctl -n net.ipv4.conf.all.forwarding'
is "sysctl: unknown key, and a non-number for a number" 255 \
  $'sysctl: setting key "vm.swappiness": Invalid argument\n60\nsysctl: cannot stat /proc/sys/no/such/key: No such file or directory' \
  "$H2" 'sysctl -w vm.swappiness=lots; sysctl -n vm.swappiness; sysctl no.such.key'
has "sysctl --system applies /etc/sysctl.d in procps order" 0 "$H2" \
  'printf "net.bridge.bridge-nf-call-ip6tables = 1\nvm.swappiness = 10\n" >/etc/sysctl.d/k8s.conf && sysctl --system && sysctl -n vm.swappiness' \
  $'* Applying /etc/sysctl.d/99-sysctl.conf ...\n* Applying /etc/sysctl.d/k8s.conf ...\nnet.bridge.bridge-nf-call-ip6tables = 1\nvm.swappiness = 10\n* Applying /etc/sysctl.conf ...\n10'
is "... and the other host and the machine do not see any of it" 0 $'0\n60\nno bridge' "$H1" \
  'cat /proc/sys/net/ipv4/ip_forward; sysctl -n vm.swappiness; test -e /proc/sys/net/bridge/bridge-nf-call-iptables || echo no bridge'
local_is "the machine's ip_forward is untouched" "$machine_forward" cat /proc/sys/net/ipv4/ip_forward

# ---------------------------------------------------------------- swap (worker01)

is "swap is on at first (LVM swap of a Rocky install)" 0 \
  $'/dev/dm-1 partition 2G 0B -2\n2047' "$H2" 'swapon --show --noheadings; free -m | awk "/^Swap:/ { print \$2 }"'
is "swapoff -a: off in swapon, /proc/swaps and free" 0 $'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n0' "$H2" \
  'swapoff -a && swapon --show && cat /proc/swaps && free -m | awk "/^Swap:/ { print \$2 }"'
is "swapon -a brings it back; swapoff -a again" 0 $'/dev/dm-1\n2047\n0' "$H2" \
  'swapon -a && swapon --show=NAME --noheadings && free -m | awk "/^Swap:/ { print \$2 }"; swapoff -a; free -m | awk "/^Swap:/ { print \$2 }"'
is "cp1's swap is still on" 0 '4095' "$H1" 'free -m | awk "/^Swap:/ { print \$2 }"'
local_is "the machine's swap is untouched" "$machine_swaps" cat /proc/swaps

# ---------------------------------------------------------------- firewalld and SELinux

is "firewalld runs: permanent port, reload, runtime port" 0 \
  $'running\npublic\nsuccess\nsuccess\n6443/tcp\nsuccess\n6443/tcp 10250/tcp' "$H1" \
  'firewall-cmd --state; firewall-cmd --get-default-zone; firewall-cmd --permanent --add-port=6443/tcp; firewall-cmd --reload; firewall-cmd --list-ports
   firewall-cmd --add-port=10250/tcp; firewall-cmd --list-ports'
is "firewall-cmd: a port without protocol" 102 \
  'Error: INVALID_PORT: bad port (most likely missing protocol), correct syntax is portid[-portid]/protocol' "$H1" 'firewall-cmd --add-port=6443'
is "firewalld stopped: not running (252)" 252 $'not running\nFirewallD is not running' "$H1" \
  'systemctl stop firewalld; firewall-cmd --state; firewall-cmd --add-port=2379/tcp'
is "firewalld restarted: runtime rebuilt from the permanent config" 0 $'6443/tcp\nsuccess\ntrusted' "$H1" \
  'systemctl start firewalld && firewall-cmd --list-ports && firewall-cmd --set-default-zone=trusted && firewall-cmd --get-default-zone'
is "setenforce 0 / Permissive; a bad argument" 1 \
  $'Permissive\nusage:  setenforce [ Enforcing | Permissive | 1 | 0 ]\nPermissive' "$H2" \
  'setenforce 0; getenforce; setenforce maybe; rc=$?; getenforce; exit $rc'

# ---------------------------------------------------------------- curl

is "curl: a key pkgs.k8s.io serves" 0 '-----BEGIN PGP PUBLIC KEY BLOCK-----' "$H2" \
  'curl -fsSL -o /tmp/k.key https://pkgs.k8s.io/core:/stable:/v1.31/rpm/repodata/repomd.xml.key && head -1 /tmp/k.key'
is "curl: the Calico manifest" 0 $'          image: docker.io/calico/node:v3.28.0\n          image: docker.io/calico/kube-controllers:v3.28.0' "$H2" \
  'curl -fsSL https://raw.githubusercontent.com/projectcalico/calico/v3.28.0/manifests/calico.yaml | grep -E "image: .*(node|kube-controllers)"'
is "curl: any other host cannot be resolved" 6 'curl: (6) Could not resolve host: example.com' "$H2" 'curl -fsSL https://example.com/install.sh'
is "curl: an unknown path on a known host: 404" 22 'curl: (22) The requested URL returned error: 404 Not Found' "$H2" \
  'curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.99/rpm/repodata/repomd.xml.key'

# ---------------------------------------------------------------- privacy

is "worker01 has none of cp1's packages or repositories" 0 \
  $'package kubeadm is not installed\npackage cri-o is not installed\nno kubeadm, no repo' "$H2" \
  'rpm -q kubeadm cri-o; test -e /usr/bin/kubeadm || test -e /etc/yum.repos.d/kubernetes.repo || echo "no kubeadm, no repo"'
is "... nor its units" 0 $'inactive\nFailed to get unit file state for kubelet.service: No such file or directory' "$H2" \
  'systemctl is-active kubelet; systemctl is-enabled kubelet; true'
local_is "the machine has no /usr/bin/kubeadm, no kubernetes.repo, no /opt/cni" "" \
  sh -c 'for f in /usr/bin/kubeadm /usr/bin/crio /etc/yum.repos.d/kubernetes.repo /opt/cni /var/lib/sandbox /run/sandbox; do test ! -e $f || echo "visible: $f"; done'

# ---------------------------------------------------------------- a restart (worker01)

run "$H2" 'echo br_netfilter >/etc/modules-load.d/k8s.conf; sed -i "/ swap /s/^/#/" /etc/fstab; sed -i "s/^SELINUX=enforcing/SELINUX=permissive/" /etc/selinux/config
           systemctl disable --now firewalld 2>/dev/null; sed -i "s/^memory_mb=.*/memory_mb=2048/" /etc/sandbox/hardware; echo here >/run/was-here'
if out=$("$FLEET" stop-host "$DIR" worker01 2>&1 && "$FLEET" start-host "$DIR" worker01 2>&1); then pass "restart worker01"
else fail "restart worker01" "$out"
fi
is "after the restart: modules-load.d, sysctl.d, fstab swap, SELinux config, units, hardware" 0 \
  $'no /run/was-here\nbr_netfilter           24576  0\n1\n10\nPermissive\ninactive\nactive\n1968' "$H2" \
  'test -e /run/was-here || echo no /run/was-here; lsmod | grep ^br_netfilter; sysctl -n net.bridge.bridge-nf-call-ip6tables; sysctl -n vm.swappiness
   swapon --show; getenforce; systemctl is-active firewalld; systemctl is-active sshd; free -m | awk "/^Mem:/ { print \$2 }"'

# ---------------------------------------------------------------- down

ssh "${SSH_OPTS[@]}" -O exit "root@$H1" >/dev/null 2>&1
ssh "${SSH_OPTS[@]}" -O exit "root@$H2" >/dev/null 2>&1
if out=$("$FLEET" down "$DIR" 2>&1); then pass "down"; else fail "down" "$out"; fi
local_is "no mount anywhere refers to DIR" "" sh -c "grep -lsF '$DIR' /proc/[0-9]*/mountinfo; true"
local_is "DIR is gone" "" sh -c "test ! -e '$DIR' || echo '$DIR exists'"
local_is "the machine still has no /usr/bin/kubeadm" "" sh -c 'test ! -e /usr/bin/kubeadm || echo visible'

echo "# took $(( SECONDS - started )) s"
echo "$PASSED passed, $FAILED failed"
(( FAILED == 0 ))
