// `fleetk8s restore`: kubeadm's documented restore of a single control
// plane's etcd from a snapshot `backup` (or `upgrade`) fetched here.
//   plan_restore():  the snapshot folder read and checked here (manifest,
//                    the cluster's name, the file's size and SHA-256); on
//                    the control plane: one etcd member (several: refused,
//                    with the manual procedure), etcd's version and the
//                    host's architecture. Changes nothing.
//   restore_etcd():  with etcd 3.6 or later, etcdutl fetched first (the
//                    etcd image ships etcd and etcdctl only, and 3.6's
//                    etcdctl no longer restores): etcd's release tarball for
//                    that version from etcd_release_url, checked against the
//                    release's SHA256SUMS, kept in /var/lib/fleetk8s/tools;
//                    then the snapshot copied to the control plane (0600)
//                    and checked against the manifest; restored into a new
//                    data directory (etcdctl 3.5 in the etcd pod, or etcdutl
//                    on the host with the revision bumped and the old ones
//                    marked compacted, so watchers never see revisions go
//                    back); the member's name and peer URL from etcd's
//                    manifest; the API server and etcd stopped (their
//                    manifests out of the kubelet's folder, waited for); the
//                    old member directory kept beside the new one; both
//                    started again; the API server waited for. Any failure
//                    once they are stopped puts the old data and the
//                    manifests back.
#include <filesystem>

#include "fleetk8s/cluster/commands.h"
#include "fleetk8s/cluster/versions.h"
#include "fleetk8s/core/strings.h"
#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace {

using namespace orchestrator;

// Prints "members=N", "etcdctl=VERSION" and "arch=" etcd's name for the
// host's architecture (amd64, arm64, ppc64le, s390x; else uname's).
constexpr const char* kRestorePlanScript = ETCDCTL_IN_POD
    R"sh(n=$(etcdctl member list -w simple | grep -c .) || exit 4
echo "members=$n"
echo "ca_hash=sha256:$()sh" CA_PUBLIC_KEY_SHA256 R"sh()"
echo "etcdctl=$(etcdctl version | sed -n 's/^etcdctl version: //p')"
case $(uname -m) in
  x86_64) echo arch=amd64 ;; aarch64) echo arch=arm64 ;; ppc64le) echo arch=ppc64le ;; s390x) echo arch=s390x ;;
  *) echo "arch=$(uname -m)" ;;
esac
)sh";

// $1: etcd_release_url (ends in /), $2: etcd's version, $3: architecture,
// $4: the folder under /var/lib/fleetk8s/tools to keep it in (etcdutl_dir).
// Leaves etcdutl of that release there (for the next restore too), fetched
// with the release's SHA256SUMS and used only when the tarball matches it.
constexpr const char* kFetchEtcdutl = R"sh(umask 077
set -u
v=$2 a=$3 dir=$4
tgz=etcd-v$v-linux-$a.tar.gz
bin=$dir/etcdutl
if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -qxF -- "etcdutl version: $v"; then exit 0; fi
command -v tar >/dev/null 2>&1 || { echo "tar is not installed on this control plane (fleetk8s up installs it)" >&2; exit 3; }
tmp=$(mktemp -d) || exit 3
trap 'rm -rf -- "$tmp"' EXIT
for f in "$tgz" SHA256SUMS; do
  curl -fsSL --retry 3 --connect-timeout 20 --max-time 600 -o "$tmp/$f" -- "$1v$v/$f" ||
    { echo "could not download $1v$v/$f" >&2; exit 4; }
done
want=
while read -r sum name; do
  [ "${name#\*}" = "$tgz" ] && want=$sum
done <"$tmp/SHA256SUMS"
[ -n "$want" ] || { echo "$1v$v/SHA256SUMS does not list $tgz" >&2; exit 4; }
got=$(sha256sum <"$tmp/$tgz" | cut -d ' ' -f 1)
if [ "$got" != "$want" ]; then
  echo "$1v$v/$tgz has SHA-256 $got, but the release's SHA256SUMS says $want: not used" >&2; exit 4
fi
tar -xzf "$tmp/$tgz" -C "$tmp" --no-same-owner -- "etcd-v$v-linux-$a/etcdutl" ||
  { echo "$tgz has no etcd-v$v-linux-$a/etcdutl" >&2; exit 4; }
mkdir -p -- /var/lib/fleetk8s/tools && chmod 0700 -- /var/lib/fleetk8s /var/lib/fleetk8s/tools || exit 3
rm -rf -- "$dir" && mkdir -m 0700 -- "$dir" && chmod 0700 -- "$tmp/etcd-v$v-linux-$a/etcdutl" &&
  mv -- "$tmp/etcd-v$v-linux-$a/etcdutl" "$bin" || exit 3
"$bin" version 2>/dev/null | grep -qxF -- "etcdutl version: $v" ||
  { rm -rf -- "$dir"; echo "the etcdutl of $tgz does not say it is $v" >&2; exit 4; }
)sh";

// $1: the SHA-256 the manifest gives for snapshot.db; $2: etcdutl on the
// host (etcd 3.6+), or empty for etcdctl 3.5 in the etcd pod.
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
if [ -n "$2" ]; then
  "$2" snapshot restore "$f" --name "$name" --initial-cluster "$name=$peer" --initial-advertise-peer-urls "$peer" \
    --data-dir "$new" --bump-revision 1000000000 --mark-compacted >&2 || { rm -rf -- "$new"; exit 4; }
else
  etcdctl snapshot restore "$f" --name "$name" --initial-cluster "$name=$peer" --initial-advertise-peer-urls "$peer" \
    --data-dir "$new" >&2 || { rm -rf -- "$new"; exit 4; }
fi
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
constexpr std::chrono::seconds kFetchTimeout{900};

std::string release_url(const ClusterRun& run) {
  const auto& extra = run.engine.options().extra_vars;
  auto it = extra.find("etcd_release_url");
  return it == extra.end() ? "https://github.com/etcd-io/etcd/releases/download/" : it->second.to_display();
}

// Where etcdutl of the plan's release is kept on the control plane.
std::string etcdutl_dir(const ClusterState& state) {
  return "/var/lib/fleetk8s/tools/etcd-v" + state.restore_etcdutl + "-linux-" + state.restore_arch;
}

ssh::Task<Outcome> plan(ClusterRun& run) {
  const std::string& dir = run.options.backup_dir;
  const auto& extra = run.engine.options().extra_vars;
  auto sha = check_snapshot_folder(dir, extra.count("cluster_name") ? extra.at("cluster_name").to_display() : "");
  if (!sha) {
    run.message("fleetk8s: " + sha.error().message() + "; nothing was changed");
    co_return Outcome::end(kClusterBadInput);
  }
  run.state.restore_sha256 = sha->sha256;
  const std::string& cp = run.first_cp();
  auto r = co_await run.as_root(cp, kRestorePlanScript, kQueryTimeout);
  if (!r || !r->success()) {
    const std::string why = failure_text(r);
    run.message("fleetk8s: " + cp + ": etcd could not be asked: " + why + "; nothing was changed");
    co_return Outcome::end(r || !is_unreachable(r.error().kind()) ? kClusterControlPlane : kClusterUnreachable);
  }
  std::string members, version, arch, ca_hash;
  for (const auto& line : split_trimmed(r->out, '\n')) {
    if (line.rfind("members=", 0) == 0) members = line.substr(8);
    if (line.rfind("etcdctl=", 0) == 0) version = line.substr(8);
    if (line.rfind("arch=", 0) == 0) arch = line.substr(5);
    if (line.rfind("ca_hash=", 0) == 0) ca_hash = line.substr(8);
  }
  // etcd's data must come from this cluster: a restore keeps the control
  // plane's certificates, and another cluster's data (its service account
  // tokens, its secrets) does not fit them.
  if (!sha->ca_hash.empty() && sha->ca_hash != ca_hash) {
    run.message("fleetk8s: " + dir + " is a snapshot of another cluster: its CA is " + sha->ca_hash + ", " + cp +
                "'s is " + (is_ca_hash(ca_hash) ? ca_hash : "unknown") +
                " (a restore keeps the control plane's certificates, so etcd's data must be this cluster's); nothing "
                "was changed");
    co_return Outcome::end(kClusterBadInput);
  }
  if (members != "1") {
    run.message("fleetk8s: etcd has " + members + " members: fleetk8s restores a single control plane's etcd only; "
                "nothing was changed. For several: stop the API server and etcd on every control plane (move "
                "kube-apiserver.yaml and etcd.yaml out of /etc/kubernetes/manifests), restore the same snapshot on "
                "each with its own --name and --initial-advertise-peer-urls and one --initial-cluster listing all, "
                "then put the manifests back (https://etcd.io/docs/v3.6/op-guide/recovery/)");
    co_return Outcome::end(kClusterPreflight);
  }
  // etcd's version as its etcdctl says it (data from the host: only a plain
  // X.Y.Z names a file or a download).
  const auto parsed = KubeVersion::parse(version);
  if (!parsed || parsed->major != 3 || parsed->patch < 0 || parsed->str() != version) {
    run.message("fleetk8s: " + cp + ": the etcd pod's etcdctl says its version is \"" + version +
                "\": expected 3.X.Y; nothing was changed");
    co_return Outcome::end(kClusterPreflight);
  }
  std::string how = "etcdctl " + version + " in the etcd pod";
  if (parsed->at_least(KubeVersion{3, 6, 0})) {
    if (arch != "amd64" && arch != "arm64" && arch != "ppc64le" && arch != "s390x") {
      run.message("fleetk8s: " + cp + ": etcd publishes no release for this architecture (" + arch +
                  "); nothing was changed");
      co_return Outcome::end(kClusterPreflight);
    }
    run.state.restore_etcdutl = version;
    run.state.restore_arch = arch;
    how = "etcdutl " + version + " (etcd's release for linux-" + arch + " from " + release_url(run) +
          ", checked against its SHA256SUMS; the etcd image has none)";
  }
  run.message("restore plan: " + cp + "'s etcd (1 member) from " + dir + "/snapshot.db (sha256 " + sha->sha256 +
              ") with " + how + ": the API server and etcd stop for the swap; the current data is kept beside the "
              "restored one");
  co_return Outcome::next();
}

ssh::Task<Outcome> restore(ClusterRun& run) {
  const std::string& cp = run.first_cp();
  std::string etcdutl;  // empty: etcdctl in the pod
  if (!run.state.restore_etcdutl.empty()) {
    std::vector<std::string> fetch{release_url(run), run.state.restore_etcdutl, run.state.restore_arch,
                                   etcdutl_dir(run.state)};
    auto f = co_await run.as_root(cp, kFetchEtcdutl, std::move(fetch), kFetchTimeout);
    if (!f || !f->success()) {
      const std::string why = failure_text(f);
      run.message("fleetk8s: " + cp + ": etcdutl " + run.state.restore_etcdutl + " could not be had: " + why +
                  "; nothing was changed (etcd_release_url names etcd's releases or a mirror of them)");
      co_return Outcome::end(!f && is_unreachable(f.error().kind()) ? kClusterUnreachable : kClusterHostsFailed);
    }
    etcdutl = etcdutl_dir(run.state) + "/etcdutl";
    run.milestone(cp, "etcdutl " + run.state.restore_etcdutl + " ready");
  }
  run.engine.set_extra_var("restore_snapshot", std::filesystem::absolute(run.options.backup_dir + "/snapshot.db").string());
  std::vector<std::string> only{cp};  // (GCC 12: no braced temporaries in a co_await's arguments)
  auto copied = co_await run.playbook("etcd-restore.yml", std::move(only));
  if (!copied) co_return after(run, copied);
  if (run.engine.host_down(cp)) {
    run.message("fleetk8s: the snapshot could not be copied to " + cp + " (see above); nothing was changed");
    co_return Outcome::end(kClusterHostsFailed);
  }
  std::vector<std::string> args{run.state.restore_sha256, etcdutl};
  auto r = co_await run.as_root(cp, kRestoreScript, std::move(args), kRestoreTimeout);
  if (!r || !r->success()) {
    const std::string why = failure_text(r);
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
  p.produces = "the snapshot's SHA-256; the tool that restores (etcdctl 3.5, or etcdutl to fetch); refusals (several members)";
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
