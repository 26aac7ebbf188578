// Keep the newest --keep snapshots of this cluster in the backup folder on
// this machine: only folders named as the snapshot phase names them
// (20261206T231700Z, 20261206T231700Z-2) whose manifest.json names this
// cluster's CA (the hash snapshot_etcd just read) are counted and removed,
// oldest first. Snapshots of another cluster that has the same name (its
// own CA), folders without a readable manifest or CA hash, and anything else
// an admin put there stay.
#include <algorithm>
#include <filesystem>
#include <tuple>

#include "phases.h"
#include "snapshot_manifest.h"

namespace fleetk8s::cluster::phases {

namespace fs = std::filesystem;

namespace {

// Oldest first: the stamp, then the same second's number (STAMP is 1).
std::tuple<std::string, int> age(const std::string& name) {
  const size_t dash = name.find('-');
  return {name.substr(0, dash), dash == std::string::npos ? 1 : std::stoi(name.substr(dash + 1))};
}

}  // namespace

Phase prune_backups() {
  Phase p;
  p.title = "Remove the snapshots beyond --keep";
  p.hosts = "this machine";
  p.reads = "--out, --keep; each snapshot's manifest.json (its cluster's CA)";
  p.skip = [](const ClusterRun& run) -> std::optional<std::string> {
    if (run.options.keep_backups <= 0) return "--keep 0 keeps every snapshot";
    if (run.state.snapshot_ca_hash.empty()) return "the control plane did not say its CA's hash, so no snapshot is known to be this cluster's";
    return std::nullopt;
  };
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    std::vector<std::string> found;
    size_t others = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(run.options.backup_dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_directory(ec) || entry.is_symlink(ec) || !is_snapshot_name(name)) continue;
      auto manifest = read_snapshot_manifest(entry.path().string());
      if (manifest && manifest->ca_hash == run.state.snapshot_ca_hash)
        found.push_back(name);
      else
        ++others;
    }
    std::sort(found.begin(), found.end(), [](const std::string& a, const std::string& b) { return age(a) < age(b); });
    const size_t keep = static_cast<size_t>(run.options.keep_backups);
    size_t removed = 0;
    for (size_t i = 0; i + keep < found.size(); ++i) {
      fs::remove_all(fs::path(run.options.backup_dir) / found[i], ec);
      if (ec) {
        run.message("fleetk8s: cannot remove " + (fs::path(run.options.backup_dir) / found[i]).string() + ": " +
                    ec.message());
        co_return Outcome::end(orchestrator::kClusterBadInput);
      }
      ++removed;
    }
    run.message(std::to_string(found.size() - removed) + " snapshot(s) kept in " + run.options.backup_dir +
                (removed ? ", " + std::to_string(removed) + " older one(s) removed" : "") +
                (others ? "; " + std::to_string(others) + " of another cluster (another CA) or without a CA hash left as they are"
                        : ""));
    co_return Outcome::next();
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
