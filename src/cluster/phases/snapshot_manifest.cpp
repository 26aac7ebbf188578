#include "snapshot_manifest.h"

#include "fleetk8s/core/file.h"
#include "fleetk8s/yaml/node.h"

namespace fleetk8s::cluster::phases {

Result<SnapshotManifest> read_snapshot_manifest(const std::string& folder) {
  const std::string path = folder + "/manifest.json";
  auto text = read_file(path);
  if (!text) return text.error().context(path);
  auto parsed = yaml::parse(*text, path);
  if (!parsed) return parsed.error();
  const Value m = yaml::to_value(*parsed);
  auto text_of = [](const Value* v) { return v && !v->is_null() ? v->to_display() : std::string(); };
  const Value* files = m.find("files");
  const Value* db = files ? files->find("snapshot.db") : nullptr;
  return SnapshotManifest{text_of(m.find("cluster")), text_of(db ? db->find("sha256") : nullptr),
                          text_of(db ? db->find("size") : nullptr), text_of(m.find("ca_hash"))};
}

}  // namespace fleetk8s::cluster::phases
