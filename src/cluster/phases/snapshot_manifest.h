// A snapshot folder's manifest.json, as the snapshot phase writes it, read
// once for whoever needs it: restore (which cluster, which file, its size and
// hash) and prune_backups (whose CA). The fields are the manifest's text,
// unchecked: each reader checks what it relies on.
#pragma once

#include <string>

#include "fleetk8s/core/result.h"

namespace fleetk8s::cluster::phases {

struct SnapshotManifest {
  std::string cluster;    // "cluster": the cluster_name it was taken of ("" when none)
  std::string db_sha256;  // "files"."snapshot.db"."sha256"
  std::string db_size;    // "files"."snapshot.db"."size", as text
  std::string ca_hash;    // "ca_hash": "sha256:..." ("" before it was recorded)
};

// Reads FOLDER/manifest.json. Errors: the file cannot be read or parsed (its
// path named).
Result<SnapshotManifest> read_snapshot_manifest(const std::string& folder);

}  // namespace fleetk8s::cluster::phases
