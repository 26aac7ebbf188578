#!/usr/bin/env bash
# `fleetk8s upgrade` on its own 1+3 fleet (net 96) from Kubernetes 1.33: the
# plan's steps, order and batches, what it refuses (downgrades, releases the
# repositories lack, no confirmation), a PodDisruptionBudget that would block
# a drain found by the server-side dry run, nothing changed by any of it;
# then the rollout to 1.34 in kubeadm's order with a worker that fails
# half-way (the rollout stops, nothing else cordoned), a rollout over two
# minors (1.34 then 1.35) interrupted by Ctrl-C and resumed, each node
# drained before its kubelet changes, never more workers drained at once
# than --max-unavailable, an etcd snapshot fetched first, CRI-O following
# the minor, the per-node timeline in --report; a second run that changes
# nothing, a node an interrupted run left cordoned uncordoned by the next,
# and `up` at the new version changing nothing.
# Usage: upgrade-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
set -uo pipefail
. "$(dirname "$0")/lib.sh"
own_fleet "$1" "$2"  # bin, fleet, work, dir: the fleet taken down and work removed at exit

"$fleet" up --net 96 --port 2496 --cgroup v2 4 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
inv=$dir/inventory.ini
hosts="cp1 worker01 worker02 worker03"
fk up "$inv"
check "the cluster is up at 1.33" "[ \$(rc) = 0 ] && on cp1 rpm -q kubeadm | grep '^kubeadm-1\.33\.' >/dev/null"
state() {  # what an upgrade would change: packages, the repository file, cordons, manifests
  for h in $hosts; do on "$h" sh -c 'rpm -q kubelet kubeadm kubectl cri-o; md5sum /etc/yum.repos.d/kubernetes.repo /etc/yum.repos.d/cri-o.repo'; done
  on cp1 sh -c 'kubectl get nodes --no-headers | awk "{ print \$1, \$2 }"; md5sum /etc/kubernetes/manifests/*.yaml'
}
before=$(state)

fk upgrade "$inv" --to 1.34 </dev/null
check "upgrade without --yes and no terminal to ask on: not confirmed, exit 1" "[ \$(rc) = 1 ] && has 'not confirmed \(use --yes'"

fk upgrade "$inv" --plan --to 1.34
check "--plan --to 1.34: exit 0, one step to the newest 1.34 patch the repository offers" "[ \$(rc) = 0 ] && has '^upgrade plan: the cluster runs 1\.33\.5 \(the API server on cp1\); target 1\.34$' && has '^  step 1 of 1: 1\.33\.5 -> 1\.34\.1 '"
check "the order: the first control plane, then the workers one at a time" "has '^    1\. cp1: kubeadm 1\.34\.1, kubeadm upgrade apply v1\.34\.1, drain' && has '^    2\. workers 1 at a time \(--max-unavailable 1\): \[worker01\] \[worker02\] \[worker03\]: ' && has '^blockers: none$'"
fk upgrade "$inv" --plan --to 1.34 --max-unavailable 100%
check "--max-unavailable 100%: every worker in one batch" "[ \$(rc) = 0 ] && has '3 at a time \(--max-unavailable 100%\): \[worker01 worker02 worker03\]'"
fk upgrade "$inv" --plan --to 1.35 --max-unavailable 67%
check "--to two minors ahead: two steps, said up front; 67% of 3 workers is 2 at a time" "[ \$(rc) = 0 ] && has '^  step 1 of 2: 1\.33\.5 -> 1\.34\.1 ' && has '^  step 2 of 2: 1\.34\.1 -> 1\.35\.0 ' && has '2 at a time \(--max-unavailable 67%\): \[worker01 worker02\] \[worker03\]'"
fk upgrade "$inv" --plan -e kubernetes_version=1.33
check "the target from kubernetes_version: 1.33 is the newest 1.33 already" "[ \$(rc) = 0 ] && has 'target 1\.33: nothing to upgrade'"
fk upgrade "$inv" --plan --to 1.32
check "a downgrade is refused" "[ \$(rc) = 1 ] && has 'fleetk8s: --to 1\.32: the cluster runs 1\.33\.5; fleetk8s never downgrades'"
fk upgrade "$inv" --plan --to 1.34.7
check "a release the repository lacks is refused" "[ \$(rc) = 1 ] && has 'the Kubernetes 1\.34 repository has no release 1\.34\.7'"
fk upgrade "$inv" --plan --max-unavailable 0
check "--max-unavailable 0 is bad input" "[ \$(rc) = 1 ] && has 'max-unavailable 0: expected a number of workers'"
check "none of it changed anything: packages, repository files, cordons, manifests" "[ \"\$(state)\" = \"\$before\" ]"

# A single-replica database guarded by minAvailable: 1: no drain of its node can finish.
on cp1 sh -c 'cat >/root/db.yaml' <"$(dirname "$0")/../data/k8s/db-guarded.yaml"
on cp1 sh -c 'kubectl cordon worker02 worker03 && kubectl apply -f /root/db.yaml && kubectl uncordon worker02 worker03' >/dev/null  # on worker01
db_node=$(on cp1 kubectl get pods -l app=db -o 'jsonpath={.items[0].spec.nodeName}')
before=$(state)
fk upgrade "$inv" --plan --to 1.34
check "a PodDisruptionBudget that forbids the eviction blocks the plan: exit 5, the node and the reason named" "[ \$(rc) = 5 ] && [ '$db_node' = worker01 ] && has \"^  drain: $db_node: pod default/db-[a-z0-9-]+: Cannot evict pod as it would violate the pod's disruption budget\\.\\\$\" && has '^blockers \(1\): nothing may change'"
check "the dry run changed nothing: no node cordoned, the pod where it was" "[ \"\$(state)\" = \"\$before\" ] && [ \"\$(on cp1 kubectl get pods -l app=db -o 'jsonpath={.items[0].spec.nodeName}')\" = '$db_node' ]"
fk upgrade "$inv" --plan --to 1.34 --no-drain
check "--no-drain: no drain, so no drain blocker" "[ \$(rc) = 0 ] && has '^blockers: none$'"


# --ignore-blockers: the rollout goes on; the drain the budget forbids fails
# after --drain-timeout, that node is uncordoned again and the rollout stops.
fk upgrade "$inv" --to 1.34 --yes --ignore-blockers --drain-timeout 5s --no-snapshot
check "--ignore-blockers: the blockers said, the rollout goes on, stops at the drain the budget forbids (exit 3)" "[ \$(rc) = 3 ] && has '^blockers \(1\): ignored \(--ignore-blockers\)' && has '^fleetk8s: the drain of $db_node failed:' && has '^fleetk8s: $db_node uncordoned again'"
order=$(grep -E '^(cp1|worker0[123]): ' "$work/out" | sed 's/: kubeadm 1.34.1, kubeadm upgrade .*/: kubeadm/; s/: kubelet and kubectl .*/: kubelet/')
check "kubeadm's order: the control plane first (drained before its kubelet changed), then the workers" "echo \"\$order\" | tr '\\n' ' ' | grep '^cp1: kubeadm cp1: drain cp1: kubelet cp1: at 1\.34\.1 worker01: kubeadm worker01: drain ' >/dev/null"
check "after the failed drain: no node cordoned, $db_node's kubelet unchanged, the database still running" "! on cp1 kubectl get nodes | grep SchedulingDisabled >/dev/null && on $db_node rpm -q kubelet | grep '^kubelet-1\.33\.' >/dev/null && on cp1 kubectl get pods -l app=db --no-headers | grep ' Running ' >/dev/null"

# The PodDisruptionBudget allows one pod down now. worker02 has a repository
# that cannot be reached (a mirror down): its dnf fails.
on cp1 sh -c 'sed -i "s/minAvailable: 1/maxUnavailable: 1/" /root/db.yaml && kubectl apply -f /root/db.yaml' >/dev/null
on worker02 sh -c 'printf "[broken]\nname=broken mirror\nbaseurl=https://mirror.invalid/el8/\nenabled=1\ngpgcheck=0\n" >/etc/yum.repos.d/broken.repo'
backups=$work/backups
fk upgrade "$inv" --to 1.34 --yes --backup-dir "$backups"
check "a worker that fails half-way: exit 3, the node and the step named, the rollout stops there" "[ \$(rc) = 3 ] && has 'the kubeadm step failed on worker02' && has 'broken' && ! has '^worker03: '"
order=$(grep -E '^(cp1|worker0[123]): ' "$work/out" | sed 's/: kubeadm 1.34.1, kubeadm upgrade .*/: kubeadm/; s/: kubelet and kubectl .*/: kubelet/')
check "resumed up to the failure: cp1 skipped, then worker01 (its drain failed before) drained before its kubelet changed" "[ \"\$(echo \"\$order\" | tr '\\n' ' ')\" = 'cp1: at 1.34.1 already worker01: kubeadm worker01: drain worker01: kubelet worker01: at 1.34.1 worker02: kubeadm ' ]"
check "after the failure: no node cordoned, worker02 and worker03 still at 1.33 (no kubelet changed undrained)" "! on cp1 kubectl get nodes | grep SchedulingDisabled >/dev/null && on worker02 rpm -q kubelet | grep '^kubelet-1\.33\.' >/dev/null && on worker03 rpm -q kubelet kubeadm | grep -c '1\.33\.5-' | grep -x 2 >/dev/null"
snap=$(ls -d "$backups"/*/ 2>/dev/null | head -n 1)
check "the etcd snapshot was taken before any change and fetched: 0700 folder, 0600 files, size and sha256 as on the host" "[ -n '$snap' ] && has '^etcd snapshot: $backups/[0-9]{8}T[0-9]{6}Z/snapshot\.db ' && [ \$(stat -c %a '$snap') = 700 ] && [ \$(stat -c %a '$snap/snapshot.db') = 600 ] && [ \$(stat -c %a '$snap/manifest.json') = 600 ] && grep -q \"\\\"sha256\\\": \\\"\$(sha256sum <'$snap/snapshot.db' | cut -d' ' -f1)\\\"\" '$snap/manifest.json' && [ \"\$(on cp1 stat -c %a /var/lib/fleetk8s/etcd-snapshots/\$(basename '$snap')/snapshot.db)\" = 600 ]"
check "the snapshot holds the cluster's state (the database's deployment)" "grep -aq '\"db\"' '$snap/snapshot.db'"
on worker02 rm -f /etc/yum.repos.d/broken.repo

# Two minors at once, two workers at a time, interrupted by Ctrl-C while a batch is drained.
(cd "$work" && exec "$bin" upgrade "$inv" --to 1.35 --yes --max-unavailable 2 --backup-dir "$backups") >"$work/out" 2>&1 &
pid=$!
for _ in $(seq 600); do grep -qE '^worker0[23](, worker0[23])?: (drain|kubelet)' "$work/out" && break; kill -0 $pid 2>/dev/null || break; sleep 0.2; done
kill -INT $pid 2>/dev/null; wait $pid; echo $? >"$work/rc"
check "Ctrl-C during the rollout: exit 130, the run lock released" "[ \$(rc) = 130 ] && ! on cp1 test -e /var/lib/fleetk8s/run.lock.holder"
XDG_STATE_HOME=$work/state fk upgrade "$inv" --to 1.35 --yes --max-unavailable 2 --report "$work/r.json"
check "the re-run finishes both steps: exit 0, every node at v1.35.0" "[ \$(rc) = 0 ] && has '^every node runs Kubernetes 1\.35\.0$' && [ \$(on cp1 kubectl get nodes --no-headers | grep -c ' v1\.35\.0\$') = 4 ]"
check "the admin kubeconfig here follows admin.conf, whose certificate kubeadm upgrade apply renewed" "grep -q client-certificate-data '$work/kubernetes.kubeconfig' && [ \"\$(grep client-certificate-data '$work/kubernetes.kubeconfig')\" = \"\$(on cp1 grep client-certificate-data /etc/kubernetes/admin.conf)\" ] && [ \$(stat -c %a '$work/kubernetes.kubeconfig') = 600 ]"
check "the re-run's snapshot went to the default folder (XDG_STATE_HOME/fleetk8s/backups/CLUSTER)" "ls \"$work/state/fleetk8s/backups/\"*/*/snapshot.db >/dev/null"
check "afterwards: no node cordoned, no mark left, the database running, kubelet, kubeadm, kubectl at 1.35.0 and CRI-O at 1.35 everywhere" "! on cp1 kubectl get nodes | grep SchedulingDisabled >/dev/null && ! on cp1 kubectl get nodes -o yaml | grep upgrade-drained >/dev/null && on cp1 kubectl get pods -l app=db --no-headers | grep ' Running ' >/dev/null && for h in $hosts; do on \$h rpm -q kubelet kubeadm kubectl | grep -c '1\.35\.0-' | grep -x 3 >/dev/null && on \$h rpm -q cri-o | grep '^cri-o-1\.35\.' >/dev/null || exit 1; done"
timeline() {  # timeline HOST: the node's milestones in the JSON report, one line
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(" | ".join(m["what"] for h in r["hosts"] if h["name"]==sys.argv[2] for m in h["timeline"]))' "$work/r.json" "$1"
}
check "--report: worker03's timeline, each step in order" "timeline worker03 | grep -E '(kubeadm upgrade node, 1\.34\.1 \| drained \| kubelet 1\.34\.1 \| Ready \| uncordoned \| )?kubeadm upgrade node, 1\.35\.0 \| drained \| kubelet 1\.35\.0 \| Ready \| uncordoned$' >/dev/null"
check "--report: never more than 2 workers drained at once" "python3 -c '
import json,sys
r=json.load(open(sys.argv[1])); ev=sorted((m[\"at\"], h[\"name\"], m[\"what\"]) for h in r[\"hosts\"] if h[\"name\"]!=\"cp1\" for m in h[\"timeline\"])
out=set(); worst=0
for at,h,w in ev:
  if w==\"drained\": out.add(h)
  if w==\"uncordoned\": out.discard(h)
  worst=max(worst,len(out))
sys.exit(0 if worst==2 else 1)' '$work/r.json'"
fk upgrade "$inv" --to 1.35 --yes --backup-dir "$backups"
check "a second upgrade changes nothing" "[ \$(rc) = 0 ] && has 'target 1\.35: nothing to upgrade' && ! has '^changed:' && ! has 'etcd snapshot:'"

# What an interrupted run leaves when it stops between a node's kubelet and its uncordon.
on cp1 sh -c 'kubectl cordon worker01 && kubectl annotate node worker01 fleetk8s.io/upgrade-drained=1.35.0' >/dev/null
fk upgrade "$inv" --to 1.35 --yes --backup-dir "$backups"
check "the next run uncordons a node an interrupted upgrade left cordoned" "[ \$(rc) = 0 ] && has 'worker01: left cordoned by an interrupted upgrade \(drained for 1\.35\.0\)' && ! on cp1 kubectl get nodes | grep SchedulingDisabled >/dev/null"
fk up "$inv" -e kubernetes_version=1.35
check "up at the new version: converged, nothing changed (the upgrade wrote the repositories as up does)" "[ \$(rc) = 0 ] && ! has 'changed=[1-9]'"

# `fleetk8s backup`: the same snapshot on demand, older ones pruned.
fk backup "$inv" --out "$work/b" --keep 1
first=$(ls "$work/b")
sleep 1.1
fk backup "$inv" --out "$work/b" --keep 1
second=$(ls -A "$work/b")
check "backup: --keep 1 removed the older one ($first, then $second)" "[ \$(rc) = 0 ] && has '1 snapshot\(s\) kept in $work/b, 1 older one\(s\) removed' && [ \$(ls -A '$work/b' | wc -l) = 1 ] && [ '$second' != '$first' ]"
# (grep reads the whole listing: with pipefail, a grep -q that exits at its match can leave tar
# writing to a closed pipe, and its SIGPIPE failed this check about one run in six)
check "backup: snapshot, certificates and manifest fetched 0600" "[ \"\$(stat -c %a '$work/b/$second'/{snapshot.db,pki.tar,manifest.json} | sort -u)\" = 600 ] && tar -tf '$work/b/$second/pki.tar' | grep -x 'pki/ca.key' >/dev/null"
check "backup: the manifest names the release, the control plane, the reason, etcd's members" "python3 -c 'import json, sys; m=json.load(open(sys.argv[1])); assert m[\"kubernetes\"]==\"1.35.0\" and m[\"taken_on\"]==\"cp1\" and m[\"reason\"]==\"backup\" and m[\"etcd_members\"], m' '$work/b/$second/manifest.json'"
# Snapshots of another cluster of the same name (another CA) in the same folder, one in every
# second of the next minute: this run's takes NAME-2 beside the one of its second, and --keep
# removes only this cluster's.
other="{\"cluster\": \"kubernetes\", \"ca_hash\": \"sha256:$(printf '%064d' 0)\"}"
sleep 1.1  # the snapshot above keeps its own second
now=$(date -u +%s)
for s in $(seq 0 60); do d=$work/b/$(date -u -d "@$((now + s))" +%Y%m%dT%H%M%SZ); mkdir -p "$d"; echo "$other" >"$d/manifest.json"; done
ca=$(on cp1 sh -c 'openssl x509 -pubkey -noout -in /etc/kubernetes/pki/ca.crt | openssl pkey -pubin -outform DER | sha256sum | cut -d" " -f1')
fk backup "$inv" --out "$work/b" --keep 1
snap=$(sed -n "s|^etcd snapshot: \($work/b/[^ ]*\)/snapshot\.db .*|\1|p" "$work/out")
check "backup beside another cluster's snapshots, one in its second: NAME-2, the other cluster's 61 kept, its own older one removed, the CA's hash in the manifest" \
  "[ \$(rc) = 0 ] && [[ \"\$snap\" =~ /[0-9]{8}T[0-9]{6}Z-2\$ ]] && has '1 snapshot\(s\) kept in $work/b, 1 older one\(s\) removed; 61 of another cluster' && [ \$(ls '$work/b' | wc -l) = 62 ] && grep -q '\"ca_hash\": \"sha256:$ca\"' \"\$snap/manifest.json\""
check "no secret of the snapshot in the output: no key material" "! grep -q 'BEGIN .*PRIVATE KEY' '$work/all-output'"

finish
