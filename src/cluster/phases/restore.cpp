// `fleetk8s restore`: kubeadm's documented restore of a single control
// plane's etcd from a snapshot `backup` (or `upgrade`) fetched here.
//   plan_restore():  the snapshot folder read and checked here (manifest,
//                    the cluster's name, the file's size and SHA-256); on
//                    the control plane: one etcd member (several: refused,
//                    with the manual procedure), and an etcdctl that can
//                    restore (etcd 3.5; 3.6 moved it to etcdutl, which the
//                    etcd image does not ship: refused, said). Changes nothing.
//   restore_etcd():  the snapshot copied to the control plane (0600) and
//                    checked against the manifest; `etcdctl snapshot
//                    restore` into a new data directory (the member's name
//                    and peer URL from etcd's manifest); the API server and
//                    etcd stopped (their manifests out of the kubelet's
//                    folder, waited for); the old member directory kept
//                    beside the new one; both started again; the API
//                    server waited for. Any failure once they are stopped
//                    puts the old data and the manifests back.
#include <filesystem>

#include "fleetk8s/cluster/commands.h"
#include "fleetk8s/core/strings.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;

// Prints "members=N" and "etcdctl=VERSION".
constexpr const char* kRestorePlanScript = ETCDCTL_IN_POD
    R"sh(n=$(etcdctl member list -w simple | grep -c .) || exit 4
echo "members=$n"
echo "etcdctl=$(etcdctl version | sed -n 's/^etcdctl version: //p')"
)sh";

// $1: the SHA-256 the manifest gives for snapshot.db.
constexpr const char* kRestoreScript = "umask 077\nset -u\n" ETCDCTL_IN_POD R"sh(f=/var/lib/etcd/fleetk8s-restore.db
new=/var/lib/etcd/fleetk8s-restored
stash=/etc/kubernetes/fleetk8s-restore-manifests
m=/etc/kubernetes/manifests
trap 'rm -f -- "$f"' EXIT
if [ "$(sha256sum <"$f" | cut -d ' ' -f 1)" != "$1" ]; then
  echo "the snapshot copied to this host does not match the manifest's SHA-256" >&2; exit 2
fi
name=$(sed -n 's/^ *- --name=//p' "$m/etcd.yaml" | head -n 1)
peer=$(sed -n 's/^ *- --initial-advertise-peer-urls=//p' "$m/etcd.yaml" | head -n 1)
data=$(sed -n 's/^ *- --data-dir=//p' "$m/etcd.yaml" | head -n 1)
if [ -z "$name" ] || [ -z "$peer" ] || [ "$data" != /var/lib/etcd ]; then
  echo "$m/etcd.yaml: expected kubeadm's etcd flags (--name, --initial-advertise-peer-urls, --data-dir=/var/lib/etcd)" >&2; exit 3
fi
rm -rf -- "$new"
etcdctl snapshot restore "$f" --name "$name" --initial-cluster "$name=$peer" --initial-advertise-peer-urls "$peer" \
  --data-dir "$new" >&2 || { rm -rf -- "$new"; exit 4; }
stopped() { [ -z "$(crictl ps --name '^(etcd|kube-apiserver)$' --state running -q 2>/dev/null)" ]; }
back() {  # the old data and both manifests back where they were
  [ -d "$old" ] && [ ! -e /var/lib/etcd/member ] && mv -- "$old" /var/lib/etcd/member
  mv -- "$stash"/*.yaml "$m"/ 2>/dev/null; rmdir -- "$stash" 2>/dev/null
  echo "$1; the previous data and manifests were put back" >&2; exit 5
}
old=/var/lib/etcd/member.before-restore-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p -- "$stash" && mv -- "$m/kube-apiserver.yaml" "$m/etcd.yaml" "$stash"/ || back "could not move the manifests aside"
i=0
until stopped; do
  i=$((i + 1)); [ "$i" -ge 120 ] && back "etcd and the API server still run 120 s after their manifests left"
  sleep 1
done
mv -- /var/lib/etcd/member "$old" || back "could not move the old data aside"
mv -- "$new/member" /var/lib/etcd/member || back "could not put the restored data in place"
rmdir -- "$new"
mv -- "$stash/etcd.yaml" "$stash/kube-apiserver.yaml" "$m"/ && rmdir -- "$stash"
i=0
until kubectl --kubeconfig=/etc/kubernetes/admin.conf get nodes -o name >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -ge 180 ]; then echo "the API server does not answer 180 s after the restore (old data: $old)" >&2; exit 6; fi
  sleep 1
done
echo "$old"
)sh";

constexpr std::chrono::seconds kRestoreTimeout{600};

ssh::Task<Outcome> plan(ClusterRun& run) {
  const std::string& dir = run.options.backup_dir;
  const auto& extra = run.engine.options().extra_vars;
  auto sha = check_snapshot_folder(dir, extra.count("cluster_name") ? extra.at("cluster_name").to_display() : "");
  if (!sha) {
    run.message("fleetk8s: " + sha.error().message() + "; nothing was changed");
    co_return Outcome::end(kClusterBadInput);
  }
  run.state.restore_sha256 = *sha;
  const std::string& cp = run.first_cp();
  auto r = co_await run.as_root(cp, kRestorePlanScript, kQueryTimeout);
  if (!r || !r->success()) {
    const std::string why = r ? trim(r->err.empty() ? r->out : r->err) : r.error().message();
    run.message("fleetk8s: " + cp + ": etcd could not be asked: " + why + "; nothing was changed");
    co_return Outcome::end(r || !is_unreachable(r.error().kind()) ? kClusterControlPlane : kClusterUnreachable);
  }
  std::string members, version;
  for (const auto& line : split_trimmed(r->out, '\n')) {
    if (line.rfind("members=", 0) == 0) members = line.substr(8);
    if (line.rfind("etcdctl=", 0) == 0) version = line.substr(8);
  }
  if (members != "1") {
    run.message("fleetk8s: etcd has " + members + " members: fleetk8s restores a single control plane's etcd only; "
                "nothing was changed. For several: stop the API server and etcd on every control plane (move "
                "kube-apiserver.yaml and etcd.yaml out of /etc/kubernetes/manifests), restore the same snapshot on "
                "each with its own --name and --initial-advertise-peer-urls and one --initial-cluster listing all, "
                "then put the manifests back (https://etcd.io/docs/v3.5/op-guide/recovery/)");
    co_return Outcome::end(kClusterPreflight);
  }
  if (version.rfind("3.", 0) != 0 || version.size() < 3 || version[2] > '5' || version[3] != '.') {
    run.message("fleetk8s: the etcd image's etcdctl is " + version + ": from etcd 3.6 on, restoring is etcdutl's, "
                "which the image does not ship; nothing was changed. Restore by hand with etcdutl " + version +
                " (from etcd's release) into a new data directory, then swap it in with the API server and etcd "
                "stopped");
    co_return Outcome::end(kClusterPreflight);
  }
  run.message("restore plan: " + cp + "'s etcd (1 member, etcdctl " + version + ") from " + dir +
              "/snapshot.db (sha256 " + *sha + "): the API server and etcd stop for the swap; the current data is "
              "kept beside the restored one");
  co_return Outcome::next();
}

ssh::Task<Outcome> restore(ClusterRun& run) {
  const std::string& cp = run.first_cp();
  run.engine.set_extra_var("restore_snapshot", std::filesystem::absolute(run.options.backup_dir + "/snapshot.db").string());
  std::vector<std::string> only{cp};  // (GCC 12: no braced temporaries in a co_await's arguments)
  auto copied = co_await run.playbook("etcd-restore.yml", std::move(only));
  if (!copied) co_return after(run, copied);
  if (run.engine.host_down(cp)) {
    run.message("fleetk8s: the snapshot could not be copied to " + cp + " (see above); nothing was changed");
    co_return Outcome::end(kClusterHostsFailed);
  }
  std::vector<std::string> args{run.state.restore_sha256};
  auto r = co_await run.as_root(cp, kRestoreScript, std::move(args), kRestoreTimeout);
  if (!r || !r->success()) {
    const std::string why = r ? trim(r->err.empty() ? r->out : r->err) : r.error().message();
    run.message("fleetk8s: the restore on " + cp + " failed: " + why);
    co_return Outcome::end(r || !is_unreachable(r.error().kind()) ? kClusterHostsFailed : kClusterUnreachable);
  }
  run.milestone(cp, "etcd restored");
  run.message(cp + ": etcd restored from " + run.options.backup_dir + "; the API server answers; the previous data is in " +
              trim(r->out) + " (delete it once the cluster is as it should be)");
  co_return Outcome::next();
}

}  // namespace

Phase plan_restore() {
  Phase p;
  p.title = "Plan the restore";
  p.hosts = "the first control plane (etcdctl in its etcd pod; read-only)";
  p.reads = "--from: snapshot.db, manifest.json";
  p.produces = "the snapshot's SHA-256; refusals (several members, etcd 3.6)";
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> { co_return co_await plan(run); };
  return p;
}

Phase restore_etcd() {
  Phase p;
  p.title = "Restore etcd";
  p.hosts = "the first control plane";
  p.reads = "the plan";
  p.produces = "etcd's data from the snapshot; the previous data beside it";
  p.changes = true;
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> { co_return co_await restore(run); };
  return p;
}

}  // namespace fleetk8s::cluster::phases
