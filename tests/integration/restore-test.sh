#!/usr/bin/env bash
# `fleetk8s restore` on its own 1+1 fleet (net 80): a backup, then a change
# to the cluster (a node's annotation), then what is refused with nothing
# changed (no confirmation, no such folder, a snapshot whose size differs
# from its manifest's, another cluster's snapshot), then the restore: the
# change is gone, the old data kept beside, check converged. Last, etcd 3.6
# (Kubernetes 1.34) on a fleet of its own host: refused, said why.
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
annotated() { on cp1 kubectl get node worker01 -o jsonpath='{.metadata.annotations}' | grep -q after-backup; }
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

fk restore "$inv" --from "$snap" --yes
check "restore: exit 0, the change made after the backup is gone, the old data kept, the copy removed" \
  "[ \$(rc) = 0 ] && has '^cp1: etcd restored from ' && ! annotated && on cp1 sh -c 'ls -d /var/lib/etcd/member.before-restore-* && ! test -e /var/lib/etcd/fleetk8s-restore.db' >/dev/null"
check "the restored member directory is root's only" "[ \"\$(on cp1 stat -c %a /var/lib/etcd/member)\" = 700 ]"
fk check "$inv"
check "check after the restore: converged" "[ \$(rc) = 0 ] && has 'converged: nothing would change' && has '1 of 1 healthy'"

"$fleet" up --net 78 --port 2478 1 "$work/f2" >/dev/null || { echo "cannot start the second fleet"; exit 1; }
fk up "$work/f2/inventory.ini" -e kubernetes_version=1.34
fk backup "$work/f2/inventory.ini" --out "$work/bk2" -e kubernetes_version=1.34
fk restore "$work/f2/inventory.ini" --from "$(ls -d "$work"/bk2/*/ | head -n 1)" --yes -e kubernetes_version=1.34
check "etcd 3.6 (Kubernetes 1.34): refused (exit 5), its etcdctl cannot restore, said" "[ \$(rc) = 5 ] && has 'the etcd image.s etcdctl is 3\.6\.[0-9]+: from etcd 3\.6 on, restoring is etcdutl.s'"
"$fleet" down "$work/f2" >/dev/null 2>&1

finish
