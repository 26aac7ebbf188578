// `fleetk8s restore`: reach the first control plane → plan the restore
// (the snapshot folder checked here; one etcd member and an etcdctl that
// can restore, else refused; nothing changes) → take the run lock →
// restore etcd (kubeadm's procedure: the API server and etcd stopped, the
// data swapped, both started and waited for).
#include "fleetk8s/cluster/commands.h"

#include <filesystem>

#include "phases/phases.h"
#include "phases/snapshot_manifest.h"

namespace fleetk8s::cluster {

Result<SnapshotFolder> check_snapshot_folder(const std::string& dir, const std::string& want) {
  namespace fs = std::filesystem;
  const std::string db = dir + "/snapshot.db", manifest = dir + "/manifest.json";
  std::error_code ec;
  if (!fs::is_regular_file(db, ec) || !fs::is_regular_file(manifest, ec))
    return Error(ErrorKind::kInvalidInput, "--from " + dir + ": expected a snapshot folder of `fleetk8s backup` "
                                           "(snapshot.db and manifest.json)");
  auto m = phases::read_snapshot_manifest(dir);
  if (!m) return m.error();
  if (m->cluster != want)
    return Error(ErrorKind::kInvalidInput, manifest + ": the snapshot of cluster \"" + m->cluster +
                                               "\": expected one of \"" + want + "\" (cluster_name)");
  if (m->db_sha256.size() != 64 || m->db_sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
    return Error(ErrorKind::kInvalidInput, manifest + ": files.snapshot.db.sha256: expected 64 hex digits");
  const auto bytes = fs::file_size(db, ec);
  if (ec || m->db_size != std::to_string(bytes))
    return Error(ErrorKind::kInvalidInput, db + ": " + std::to_string(bytes) + " bytes: expected " +
                                               (m->db_size.empty() ? "?" : m->db_size) + " (the manifest's size)");
  if (!m->ca_hash.empty() && !phases::is_ca_hash(m->ca_hash))
    return Error(ErrorKind::kInvalidInput, manifest + ": ca_hash: expected sha256: and 64 hex digits");
  return SnapshotFolder{m->db_sha256, m->ca_hash};
}

std::vector<Phase> restore_phases() {
  return {phases::reach_control_plane(), phases::plan_restore(), phases::take_lock(), phases::restore_etcd()};
}

}  // namespace fleetk8s::cluster
