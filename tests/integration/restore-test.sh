#!/usr/bin/env bash
# `fleetk8s restore` on its own 1+1 fleet (net 80): a backup, then a change
# to the cluster (a node's annotation), then what is refused with nothing
# changed (no confirmation, no such folder, a snapshot whose size differs
# from its manifest's, another cluster's snapshot, a manifest's CA hash that is
# no hash), then the restore: the
# change is gone, the old data kept beside, check converged. Last, etcd 3.6
# (Kubernetes 1.34) on a fleet of its own host, whose snapshot the first
# cluster refuses (same name, another CA): etcdutl fetched from etcd's
# release (a bad etcd_release_url, a mirror whose SHA256SUMS does not match:
# nothing changed), then the restore.
# Usage: restore-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
set -uo pipefail
. "$(dirname "$0")/lib.sh"
own_fleet "$1" "$2"  # bin, fleet, work, dir: the fleet taken down and work removed at exit

"$fleet" up --net 80 --port 2480 2 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
inv=$dir/inventory.ini
fk up "$inv"
check "the cluster is up" "[ \$(rc) = 0 ]"
fk backup "$inv" --out "$work/bk"
snap=$(ls -d "$work"/bk/*/ | head -n 1)
check "a backup" "[ \$(rc) = 0 ] && [ -f \"\$snap/snapshot.db\" ]"
on cp1 kubectl annotate node worker01 fleetk8s.test/after-backup=yes >/dev/null
annotated() { on cp1 kubectl get node worker01 -o jsonpath='{.metadata.annotations}' | grep after-backup >/dev/null; }
check "the cluster changed after the backup" "annotated"

fk restore "$inv" --from "$snap" </dev/null
check "no --yes and no terminal: not confirmed (exit 1), nothing changed" "[ \$(rc) = 1 ] && has 'not confirmed' && annotated"
fk restore "$inv" --from "$work/none" --yes
check "no such folder: exit 1, said" "[ \$(rc) = 1 ] && has -- '--from $work/none: expected a snapshot folder of .fleetk8s backup.' && annotated"
cp -r "$snap" "$work/tampered" && printf x >>"$work/tampered/snapshot.db"
fk restore "$inv" --from "$work/tampered" --yes
check "a snapshot whose size differs from its manifest's: exit 1, nothing changed" "[ \$(rc) = 1 ] && has 'snapshot.db: [0-9]+ bytes: expected [0-9]+ \(the manifest.s size\)' && annotated"
cp -r "$snap" "$work/other" && sed -i 's/"cluster": "kubernetes"/"cluster": "other"/' "$work/other/manifest.json"
fk restore "$inv" --from "$work/other" --yes
check "another cluster's snapshot: exit 1, nothing changed" "[ \$(rc) = 1 ] && has 'the snapshot of cluster \"other\": expected one of \"kubernetes\"' && annotated"
cp -r "$snap" "$work/badca" && sed -i 's/"ca_hash": "sha256:/"ca_hash": "sha256:zz/' "$work/badca/manifest.json"
fk restore "$inv" --from "$work/badca" --yes
check "a manifest whose CA hash is no hash: exit 1 before any connection, nothing changed" "[ \$(rc) = 1 ] && has 'manifest.json: ca_hash: expected sha256: and 64 hex digits' && ! has 'Reach the first control plane' && annotated"

fk restore "$inv" --from "$snap" --yes
check "restore: exit 0, the change made after the backup is gone, the old data kept, the copy removed" \
  "[ \$(rc) = 0 ] && has '^cp1: etcd restored from ' && ! annotated && on cp1 sh -c 'ls -d /var/lib/etcd/member.before-restore-* && ! test -e /var/lib/etcd/fleetk8s-restore.db' >/dev/null"
check "the restored member directory is root's only" "[ \"\$(on cp1 stat -c %a /var/lib/etcd/member)\" = 700 ]"
fk check "$inv"
check "check after the restore: converged" "[ \$(rc) = 0 ] && has 'converged: nothing would change' && has '1 of 1 healthy'"

"$fleet" up --net 78 --port 2478 1 "$work/f2" >/dev/null || { echo "cannot start the second fleet"; exit 1; }
inv2=$work/f2/inventory.ini
v134="-e kubernetes_version=1.34"
fk up "$inv2" $v134
fk backup "$inv2" --out "$work/bk2" $v134
snap2=$(ls -d "$work"/bk2/*/ | head -n 1)
fk restore "$inv" --from "$snap2" --yes
check "the snapshot of another cluster with the same name (its own CA): exit 1, both CAs named, nothing changed" \
  "[ \$(rc) = 1 ] && has 'is a snapshot of another cluster: its CA is sha256:[0-9a-f]{64}, cp1.s is sha256:[0-9a-f]{64} .*nothing was changed' && [ \$(on cp1 sh -c 'ls -d /var/lib/etcd/member.before-restore-*' | wc -l) = 1 ]"
on2() { "$fleet" exec "$work/f2" cp1 -- "$@"; }
on2 kubectl annotate node cp1 fleetk8s.test/after-backup=yes >/dev/null
annotated2() { on2 kubectl get node cp1 -o jsonpath='{.metadata.annotations}' | grep after-backup >/dev/null; }
check "etcd 3.6: the cluster changed after the backup" "annotated2"
fk restore "$inv2" --from "$snap2" --yes $v134 -e 'etcd_release_url=https://x.example/a;b/'
check "etcd_release_url with a shell character: exit 1 before any connection, names the setting" \
  "[ \$(rc) = 1 ] && has 'etcd_release_url' && annotated2"
# A mirror on the host (file:///) whose SHA256SUMS does not match the tarball.
ver=$(on2 sh -c "crictl exec \$(crictl ps --name '^etcd\$' -q) etcdctl version" | sed -n 's/^etcdctl version: //p')
tgz=etcd-v$ver-linux-amd64.tar.gz
on2 sh -c "mkdir -p /srv/etcd/v$ver && curl -fsSL -o /srv/etcd/v$ver/$tgz https://github.com/etcd-io/etcd/releases/download/v$ver/$tgz && echo '$(printf '0%.0s' $(seq 64))  $tgz' >/srv/etcd/v$ver/SHA256SUMS"
fk restore "$inv2" --from "$snap2" --yes $v134 -e etcd_release_url=file:///srv/etcd/
check "etcd $ver: a mirror whose SHA256SUMS does not match the tarball: exit 3, said, nothing changed, no etcdutl kept" \
  "[ \$(rc) = 3 ] && has 'has SHA-256 [0-9a-f]{64}, but the release.s SHA256SUMS says 0{64}: not used' && has 'nothing was changed' && annotated2 && ! on2 test -e /var/lib/fleetk8s/tools/etcd-v$ver-linux-amd64 && [ \"\$(on2 ls /var/lib/etcd)\" = member ]"
fk restore "$inv2" --from "$snap2" --yes $v134
check "etcd $ver (Kubernetes 1.34): restored with etcdutl from etcd's release (exit 0), the change is gone" \
  "[ \$(rc) = 0 ] && has \"with etcdutl $ver \\(etcd.s release for linux-amd64 from https://github.com/etcd-io/etcd/releases/download/\" && has '^cp1: etcd restored from ' && ! annotated2"
check "etcdutl kept root's only for the next restore" \
  "[ \"\$(on2 stat -c %a /var/lib/fleetk8s/tools/etcd-v$ver-linux-amd64)\" = 700 ] && on2 /var/lib/fleetk8s/tools/etcd-v$ver-linux-amd64/etcdutl version | grep -x 'etcdutl version: $ver' >/dev/null"
fk check "$inv2" $v134
check "etcd $ver: check after the restore: converged" "[ \$(rc) = 0 ] && has 'converged: nothing would change'"
"$fleet" down "$work/f2" >/dev/null 2>&1

finish
