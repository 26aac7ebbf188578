// `fleetk8s restore`: reach the first control plane → plan the restore
// (the snapshot folder checked here; one etcd member and an etcdctl that
// can restore, else refused; nothing changes) → take the run lock →
// restore etcd (kubeadm's procedure: the API server and etcd stopped, the
// data swapped, both started and waited for).
#include "fleetk8s/cluster/commands.h"

#include <filesystem>

#include "fleetk8s/core/file.h"
#include "fleetk8s/yaml/node.h"
#include "phases/phases.h"

namespace fleetk8s::cluster {

Result<SnapshotFolder> check_snapshot_folder(const std::string& dir, const std::string& want) {
  namespace fs = std::filesystem;
  const std::string db = dir + "/snapshot.db", manifest = dir + "/manifest.json";
  std::error_code ec;
  if (!fs::is_regular_file(db, ec) || !fs::is_regular_file(manifest, ec))
    return Error(ErrorKind::kInvalidInput, "--from " + dir + ": expected a snapshot folder of `fleetk8s backup` "
                                           "(snapshot.db and manifest.json)");
  auto text = read_file(manifest);
  if (!text) return text.error().context(manifest);
  auto parsed = yaml::parse(*text, manifest);
  if (!parsed) return parsed.error();
  const Value m = yaml::to_value(*parsed);
  const Value* cluster = m.find("cluster");
  if (!cluster || cluster->to_display() != want)
    return Error(ErrorKind::kInvalidInput, manifest + ": the snapshot of cluster \"" +
                                               (cluster ? cluster->to_display() : "") + "\": expected one of \"" + want +
                                               "\" (cluster_name)");
  const Value* files = m.find("files");
  const Value* entry = files ? files->find("snapshot.db") : nullptr;
  const Value* sha = entry ? entry->find("sha256") : nullptr;
  const Value* size = entry ? entry->find("size") : nullptr;
  if (!sha || sha->to_display().size() != 64 || sha->to_display().find_first_not_of("0123456789abcdef") != std::string::npos)
    return Error(ErrorKind::kInvalidInput, manifest + ": files.snapshot.db.sha256: expected 64 hex digits");
  const auto bytes = fs::file_size(db, ec);
  if (ec || !size || size->to_display() != std::to_string(bytes))
    return Error(ErrorKind::kInvalidInput, db + ": " + std::to_string(bytes) + " bytes: expected " +
                                               (size ? size->to_display() : "?") + " (the manifest's size)");
  const Value* ca = m.find("ca_hash");
  const std::string ca_hash = ca ? ca->to_display() : "";
  if (!ca_hash.empty() && !phases::is_ca_hash(ca_hash))
    return Error(ErrorKind::kInvalidInput, manifest + ": ca_hash: expected sha256: and 64 hex digits");
  return SnapshotFolder{sha->to_display(), ca_hash};
}

std::vector<Phase> restore_phases() {
  return {phases::reach_control_plane(), phases::plan_restore(), phases::take_lock(), phases::restore_etcd()};
}

}  // namespace fleetk8s::cluster
