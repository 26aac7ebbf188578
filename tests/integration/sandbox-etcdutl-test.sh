#!/usr/bin/env bash
# The sandbox's tar package and etcd's release downloads with the host-side etcdutl, on a fleet of
# its own (1 host, net 76, port 2476): tar is absent from a fresh host (Rocky 8 minimal) until `dnf
# install tar` (rpm -q, command -v and dnf remove agree); the curl stand-in fetches etcd's release
# tarball and SHA256SUMS from GitHub (a 302 to its release-assets host: -L needed) and from the
# internal mirror artifacts.sandbox.internal, `sha256sum -c --ignore-missing` passes, the mirror's
# tampered v3.6.99 fails it, an unknown version is 404; tar extracts etcd-vX.Y.Z-linux-amd64/; the
# tarball's etcdutl (3.6.4 and 3.5.21) answers version, snapshot status and restore with etcdutl's
# flags, output and errors (a data dir not empty, a bad hash, an unknown flag, ...); then kubeadm's
# single-control-plane restore by hand on a 1.34 control plane (etcd 3.6.4): an annotation, a
# snapshot with etcdctl in the etcd pod, a change, the host etcdutl's restore swapped in with etcd
# and the API server stopped (their manifests moved out), and the API server serves the old value.
# Usage: sandbox-etcdutl-test.sh [SANDBOX_FLEET_SCRIPT]   (needs root)
# The single-quoted scripts run on the hosts, expanded there.
# shellcheck disable=SC2016,SC2034  # ids is read inside check's eval
set -uo pipefail
fleet=$(realpath "${1:-$(dirname "$0")/../../scripts/sandbox-fleet}")
work=$(mktemp -d)
dir=$work/fleet
trap '"$fleet" down "$dir" >/dev/null 2>&1; rm -rf "$work"' EXIT
. "$(dirname "$0")/lib.sh"

# oncp SCRIPT: runs SCRIPT with bash as root on cp1 (in /root), stdout and stderr merged into
# $work/out (what check prints on a failure), its status in $work/rc.
oncp() { on cp1 bash -c "exec 2>&1; cd /root
$1" >"$work/out"; echo $? >"$work/rc"; }
output() { cat "$work/out"; }
GH=https://github.com/etcd-io/etcd/releases/download
MIRROR=https://artifacts.sandbox.internal/etcd-io/etcd/releases/download
E=/root/etcd-v3.6.4-linux-amd64
E35=/root/etcd-v3.5.21-linux-amd64
ETCD='id=$(crictl ps --name "^etcd$" --state running -q | head -n 1)
tls="--cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key"
'
VALUE='kubectl get node cp1 -o jsonpath="{.metadata.annotations.sandbox\.test/value}"; echo'
started=$SECONDS

"$fleet" up --net 76 --port 2476 1 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }

# ---------------------------------------------------------------- tar
oncp 'command -v tar; echo "command -v: $?"; rpm -q tar; echo "rpm -q: $?"; ls /usr/bin/tar /bin/tar; tar --version'
check "a fresh host has no tar (Rocky 8 minimal): command -v, rpm -q, ls /usr/bin/tar and /bin/tar agree" \
  "[ \$(rc) = 127 ] && has '^command -v: 1\$' && has '^package tar is not installed\$' && has '^rpm -q: 1\$' && has 'cannot access ./usr/bin/tar.: No such file' && has 'cannot access ./bin/tar.: No such file' && has 'tar: command not found'"
oncp 'rpm -q gzip && command -v gzip'
check "gzip is there (it is on Rocky minimal)" "[ \$(rc) = 0 ] && has '^gzip-1\.9-' && has '^/usr/bin/gzip\$'"
oncp 'dnf install -y tar | grep -E "^(Installing|Installed|Complete| tar )"; rpm -q tar; command -v tar; ls -l /bin/tar | cut -d " " -f 1; tar --version | head -n 1; rpm -qf /usr/bin/tar'
check "dnf install tar: rpm -q, command -v and /bin/tar agree; the machine's GNU tar runs" \
  "[ \$(rc) = 0 ] && has '^ tar +x86_64 +2:1\.30-9\.el8 ' && has '^Complete!\$' && has '^tar-1\.30-9\.el8\.x86_64\$' && has '^/usr/bin/tar\$' && has '^-rwxr-xr-x\$' && has '^tar \(GNU tar\) ' && [ \$(count '^tar-1\.30-9\.el8\.x86_64\$') = 2 ]"
oncp 'dnf remove -y -q tar >/dev/null 2>&1; echo "remove: $?"; bash -c "command -v tar; echo command -v: \$?"; rpm -q tar; ls /bin/tar
dnf install -y -q tar >/dev/null 2>&1; echo "install: $?"'
check "dnf remove tar takes it away again (a new shell: bash's hash table aside), then installed again" \
  "has '^remove: 0\$' && has '^command -v: 1\$' && has '^package tar is not installed\$' && has 'cannot access ./bin/tar.' && has '^install: 0\$'"

# ---------------------------------------------------------------- the release downloads
oncp "curl -fsSLO $GH/v3.6.4/etcd-v3.6.4-linux-amd64.tar.gz && curl -fsSLO $GH/v3.6.4/SHA256SUMS && sha256sum -c --ignore-missing SHA256SUMS && cat SHA256SUMS"
check "GitHub (curl -fsSLO): the tarball and SHA256SUMS (every artifact, '<sha256>  <name>'); sha256sum -c --ignore-missing passes" \
  "[ \$(rc) = 0 ] && has '^etcd-v3\.6\.4-linux-amd64\.tar\.gz: OK\$' && [ \$(count '^[0-9a-f]{64}  etcd-v3\.6\.4-(darwin-(amd64|arm64)\.zip|linux-(amd64|arm64|ppc64le|s390x)\.tar\.gz|windows-amd64\.zip)\$') = 7 ]"
oncp "curl -fsS -o nofollow.tgz -w '%{http_code} %{redirect_url}\n' $GH/v3.6.4/etcd-v3.6.4-linux-amd64.tar.gz; echo \"rc=\$? size=\$(stat -c %s nofollow.tgz)\""
check "without -L: GitHub's 302 to its release-assets host, an empty file, exit 0 (-f fails for 400+ only)" \
  "has '^302 https://release-assets\.githubusercontent\.com/github-production-release-asset/11225014/v3\.6\.4/etcd-v3\.6\.4-linux-amd64\.tar\.gz\?' && has '^rc=0 size=0\$'"
oncp "mkdir m && cd m && curl -fsSLO $MIRROR/v3.6.4/etcd-v3.6.4-linux-amd64.tar.gz && curl -fsSL https://storage.googleapis.com/etcd/v3.6.4/etcd-v3.6.4-linux-amd64.tar.gz | cmp - etcd-v3.6.4-linux-amd64.tar.gz && cmp etcd-v3.6.4-linux-amd64.tar.gz ../etcd-v3.6.4-linux-amd64.tar.gz && echo same"
check "the internal mirror and storage.googleapis.com serve the same bytes (a deterministic tarball)" "[ \$(rc) = 0 ] && has '^same\$'"
oncp "mkdir t && cd t && curl -fsSLO $MIRROR/v3.6.99/etcd-v3.6.99-linux-amd64.tar.gz && curl -fsSLO $MIRROR/v3.6.99/SHA256SUMS && sha256sum -c --ignore-missing SHA256SUMS"
check "the mirror's tampered v3.6.99: its tarball does not match its SHA256SUMS line" \
  "[ \$(rc) = 1 ] && has '^etcd-v3\.6\.99-linux-amd64\.tar\.gz: FAILED\$' && has 'WARNING: 1 computed checksum did NOT match'"
oncp "mkdir tt && cd tt && T=https://artifacts.sandbox.internal/tampered/etcd-io/etcd/releases/download/v3.6.4 && curl -fsSLO \$T/etcd-v3.6.4-linux-amd64.tar.gz && curl -fsSLO \$T/SHA256SUMS && cmp SHA256SUMS ../SHA256SUMS && sha256sum -c --ignore-missing SHA256SUMS"
check "the mirror's tampered/ copy of a real release (3.6.4): the genuine SHA256SUMS, a tarball that fails it" \
  "[ \$(rc) = 1 ] && has '^etcd-v3\.6\.4-linux-amd64\.tar\.gz: FAILED\$'"
oncp "curl -fsSLO $GH/v3.6.99/SHA256SUMS; echo \"rc=\$?\"; curl -fsSLO $GH/v3.6.77/etcd-v3.6.77-linux-amd64.tar.gz; echo \"rc=\$?\"; curl -fsSLO $MIRROR/v3.6.4/etcd-v3.6.4-linux-amd64.zip; echo \"rc=\$?\""
check "an unknown version (GitHub has no v3.6.99) or file: 404, curl -f exit 22" \
  "[ \$(count '^curl: \(22\) The requested URL returned error: 404 Not Found\$') = 3 ] && [ \$(count '^rc=22\$') = 3 ]"

# ---------------------------------------------------------------- tar and the tarball's etcdutl
oncp 'tar tzvf etcd-v3.6.4-linux-amd64.tar.gz; tar xzf etcd-v3.6.4-linux-amd64.tar.gz --no-same-owner && stat -c "%a %U %n" etcd-v3.6.4-linux-amd64/etcdutl
'"$E/etcdutl version; $E/etcdctl version; $E/etcd --version"
check "tar extracts etcd-v3.6.4-linux-amd64/ (etcd etcdctl etcdutl 0755, the READMEs, Documentation/); etcdutl/etcdctl/etcd version" \
  "[ \$(rc) = 0 ] && has '^drwxr-xr-x 1000/1000 +0 2025-07-25 [0-9:]+ etcd-v3\.6\.4-linux-amd64/\$' && has '^-rwxr-xr-x 1000/1000 .* etcd-v3\.6\.4-linux-amd64/etcdutl\$' && has ' etcd-v3\.6\.4-linux-amd64/README-etcdutl\.md\$' && has ' etcd-v3\.6\.4-linux-amd64/READMEv2-etcdctl\.md\$' && has ' etcd-v3\.6\.4-linux-amd64/Documentation/\$' && has '^755 root etcd-v3\.6\.4-linux-amd64/etcdutl\$' && has '^etcdutl version: 3\.6\.4\$' && has '^API version: 3\.6\$' && has '^etcdctl version: 3\.6\.4\$' && has '^etcd Version: 3\.6\.4\$'"
oncp "curl -fsSL $MIRROR/v3.5.21/etcd-v3.5.21-linux-amd64.tar.gz | tar xz --no-same-owner && $E35/etcdutl version
curl -fsSL $MIRROR/v3.5.21/etcd-v3.5.21-linux-arm64.tar.gz | tar xz --no-same-owner && ./etcd-v3.5.21-linux-arm64/etcdutl version"
check "the 3.5.21 tarball's etcdutl; the arm64 one does not run on this x86_64 host" \
  "[ \$(rc) = 126 ] && has '^etcdutl version: 3\.5\.21\$' && has '^API version: 3\.5\$' && has 'etcdutl: cannot execute binary file: Exec format error'"
oncp "$E/etcdutl snapshot restore x.db --foo; echo \"rc=\$?\"; $E/etcdutl snapshot restore; echo \"rc=\$?\"; $E/etcdutl snapshot restore nosuch.db --data-dir r0; echo \"rc=\$?\"; ls r0"
check "etcdutl: an unknown flag (cobra's error and usage, then etcdutl's error again, exit 1), no argument (exit 128), a missing file" \
  "[ \$(count '^Error: unknown flag: --foo\$') = 2 ] && has '^  etcdutl snapshot restore <filename> --data-dir \{output dir\} \[options\] \[flags\]\$' && has '^      --bump-revision uint +How much to increase the latest revision after restore\$' && has '^  -w, --write-out string +set the output format \(fields, json, protobuf, simple, table\) \(default \"simple\"\)\$' && has '^Error: snapshot restore requires exactly one argument\$' && has '^rc=128\$' && has '^Error: open nosuch\.db: no such file or directory\$' && [ \$(count '^rc=1\$') = 2 ]"

# ---------------------------------------------------------------- a 1.34 control plane (etcd 3.6.4)
oncp 'cat >/etc/yum.repos.d/kubernetes.repo <<R
[kubernetes]
name=Kubernetes
baseurl=https://pkgs.k8s.io/core:/stable:/v1.34/rpm/
enabled=1
gpgcheck=1
gpgkey=https://pkgs.k8s.io/core:/stable:/v1.34/rpm/repodata/repomd.xml.key
exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni
R
cat >/etc/yum.repos.d/cri-o.repo <<R
[cri-o]
name=CRI-O
baseurl=https://pkgs.k8s.io/addons:/cri-o:/stable:/v1.34/rpm/
enabled=1
gpgcheck=1
gpgkey=https://pkgs.k8s.io/addons:/cri-o:/stable:/v1.34/rpm/repodata/repomd.xml.key
R
dnf install -y -q --disableexcludes=kubernetes kubelet-1.34.1 kubeadm-1.34.1 kubectl-1.34.1 cri-o >/dev/null 2>&1 || exit 9
swapoff -a; sed -i "/ swap /s/^/#/" /etc/fstab; modprobe br_netfilter
printf "net.ipv4.ip_forward = 1\nnet.bridge.bridge-nf-call-iptables = 1\n" >/etc/sysctl.d/k8s.conf; sysctl -q --system
systemctl disable -q --now firewalld; systemctl enable -q --now crio kubelet
kubeadm init --pod-network-cidr 192.168.0.0/16 >/dev/null || exit 8
mkdir -p ~/.kube && cp /etc/kubernetes/admin.conf ~/.kube/config
grep -h "image: .*etcd" /etc/kubernetes/manifests/etcd.yaml
kubectl annotate node cp1 sandbox.test/value=before'
check "kubeadm init 1.34.1: etcd 3.6.4-0; the node annotated 'before'" \
  "[ \$(rc) = 0 ] && has 'image: registry.k8s.io/etcd:3\.6\.4-0' && has '^node/cp1 annotated\$'"
oncp "$ETCD"'crictl exec "$id" etcdctl --endpoints=https://127.0.0.1:2379 $tls snapshot save /var/lib/etcd/snap.db | tail -2
kubectl annotate --overwrite node cp1 sandbox.test/value=after >/dev/null; '"$VALUE
$E/etcdutl snapshot status /var/lib/etcd/snap.db -w table; $E/etcdutl snapshot status /var/lib/etcd/snap.db -w json"
check "a snapshot with etcdctl in the etcd pod, then the change ('after'); the host etcdutl's status (3.6's VERSION column)" \
  "[ \$(rc) = 0 ] && has '^Snapshot saved at /var/lib/etcd/snap\.db\$' && has '^after\$' && has '^\| +HASH +\| REVISION \| TOTAL KEYS \| TOTAL SIZE \| VERSION \|\$' && has '\| +3\.6\.0 \|\$' && has '^\{\"hash\":[0-9]+,\"revision\":[0-9]+,\"totalKey\":[0-9]+,\"totalSize\":[0-9]+,\"version\":\"3\.6\.0\"\}\$'"

# ---------------------------------------------------------------- etcdutl snapshot restore
PEER=https://127.0.76.1:2380
RESTORE="$E/etcdutl snapshot restore /var/lib/etcd/snap.db --name cp1 --initial-cluster cp1=$PEER --initial-advertise-peer-urls $PEER"
oncp "$RESTORE --data-dir /var/lib/etcd/new; echo \"rc=\$?\"; find /var/lib/etcd/new -printf '%m %P\n' | sort -k 2
python3 -c 'import hashlib; m = hashlib.sha1(b\"${PEER}etcd-cluster\").digest()[:8]; print(\"ids %x %x\" % (int.from_bytes(m, \"big\"), int.from_bytes(hashlib.sha1(m).digest()[:8], \"big\")))'"
ids=$(sed -n 's/^ids //p' "$work/out")
check "etcdutl 3.6.4 snapshot restore into a new directory: 3.6's log lines, the member and cluster IDs as etcd computes them, a 0700 member/{snap/db,wal}" \
  "has '^rc=0\$' && has $'\tinfo\tsnapshot/v3_snapshot\\\\.go:305\trestoring snapshot\t\\\\{\"path\": \"/var/lib/etcd/snap\\\\.db\", \"wal-dir\": \"/var/lib/etcd/new/member/wal\", \"data-dir\": \"/var/lib/etcd/new\", \"snap-dir\": \"/var/lib/etcd/new/member/snap\", \"initial-memory-map-size\": 10737418240\\\\}\$' && has $'\tinfo\tbbolt\tbbolt@v1\\\\.4\\\\.2/db\\\\.go:321\tOpening bbolt db' && has \"added member.*\\\"cluster-id\\\": \\\"\${ids#* }\\\", \\\"local-member-id\\\": \\\"0\\\", \\\"added-peer-id\\\": \\\"\${ids% *}\\\", \\\"added-peer-peer-urls\\\": \\[\\\"$PEER\\\"\\], \\\"added-peer-is-learner\\\": false\" && has $'\tinfo\tsnapshot/v3_snapshot\\\\.go:333\trestored snapshot\t' && has '^700 member\$' && has '^600 member/snap/db\$' && has '^700 member/wal\$' && has '^600 member/wal/0000000000000000-0000000000000000\.wal\$'"
oncp "$RESTORE --data-dir /var/lib/etcd/new"
check "a data directory that is not empty: refused, exit 1" "[ \$(rc) = 1 ] && has '^Error: data-dir \"/var/lib/etcd/new\" not empty or could not be read\$'"
oncp 'cp /var/lib/etcd/snap.db bad.db && printf X | dd of=bad.db bs=1 seek=300 conv=notrunc 2>/dev/null
'"$E/etcdutl snapshot restore bad.db --data-dir bad; echo \"rc=\$?\"; find bad -type f; $E/etcdutl snapshot restore bad.db --data-dir bad2 --skip-hash-check; echo \"rc=\$?\""
check "a bad hash: refused (exit 1), the db already copied is left behind (as etcdutl does); --skip-hash-check: bbolt's checksum error panics the backend (exit 2)" \
  "has '^Error: expected sha256 \[[0-9 ]+\], got \[[0-9 ]+\]\$' && has '^rc=1\$' && has '^bad/member/snap/db\$' && has $'\tpanic\tbackend/backend\\\\.go:[0-9]+\tfailed to open database\t' && has '^panic: failed to open database\$' && has '^rc=2\$'"
oncp "$E/etcdutl snapshot restore /var/lib/etcd/snap.db --data-dir x1 --name cp1; $E/etcdutl snapshot restore /var/lib/etcd/snap.db --data-dir x2 --bump-revision 5; echo \"rc=\$?\"; ls x1 x2"
check "etcdutl's other refusals: a name missing from --initial-cluster; --bump-revision without --mark-compacted (exit 128); nothing written" \
  "has '^Error: couldn.t find local name \"cp1\" in the initial cluster configuration\$' && has '^Error: --mark-compacted required if --revision-bump > 0\$' && has '^rc=128\$' && [ \$(count 'cannot access') = 2 ]"
oncp "$E35/etcdutl snapshot restore /var/lib/etcd/snap.db --data-dir r35; echo \"rc=\$?\"; $E35/etcdutl snapshot status /var/lib/etcd/snap.db"
check "etcdutl 3.5.21 restores as 3.5's does (its log lines, no bbolt ones, no learner field); its status has no VERSION" \
  "has '^rc=0\$' && has $'\tinfo\tsnapshot/v3_snapshot\\\\.go:265\trestoring snapshot\t' && has $'\tinfo\tmembership/store\\\\.go:141\tTrimming membership information from the backend\\\\.\\\\.\\\\.\$' && has '\"added-peer-id\": \"8e9e05c52164694d\", \"added-peer-peer-urls\": \[\"http://localhost:2380\"\]\}\$' && ! has 'bbolt' && has '^[0-9a-f]+, [0-9]+, [0-9]+, [0-9.]+ kB\$'"

# ---------------------------------------------------------------- kubeadm's single-control-plane restore
oncp 'set -e
m=/etc/kubernetes/manifests stash=/etc/kubernetes/restore-stash
'"$RESTORE"' --data-dir /var/lib/etcd/restored --bump-revision 1000000000 --mark-compacted 2>/dev/null
mkdir -p "$stash" && mv "$m/etcd.yaml" "$m/kube-apiserver.yaml" "$stash"/
i=0; until [ -z "$(crictl ps --name "^(etcd|kube-apiserver)$" --state running -q)" ]; do i=$((i + 1)); [ $i -lt 60 ]; sleep 1; done
echo "stopped after $i s"
mv /var/lib/etcd/member /var/lib/etcd/member.old && mv /var/lib/etcd/restored/member /var/lib/etcd/member
mv "$stash"/*.yaml "$m"/
i=0; until kubectl get nodes -o name >/dev/null 2>&1; do i=$((i + 1)); [ $i -lt 60 ]; sleep 1; done
'"$VALUE
$ETCD"'crictl exec "$id" etcdctl --endpoints=https://127.0.0.1:2379 $tls member list
kubectl annotate --overwrite node cp1 sandbox.test/value=later >/dev/null; '"$VALUE"
check "restore by hand: manifests out, etcd and the API server stopped, the member directory swapped, manifests back: the API server serves 'before'; etcd's member is the restored one; it takes writes" \
  "[ \$(rc) = 0 ] && has '^stopped after [0-9]+ s\$' && has '^before\$' && has \"^\${ids% *}, started, cp1, $PEER, https://127\\.0\\.76\\.1:2379, false\$\" && has '^later\$' && ! has '^after\$'"

echo "# $((SECONDS - started)) s"
finish
