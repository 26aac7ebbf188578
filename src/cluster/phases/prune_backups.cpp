// Keep the newest --keep snapshots in the backup folder on this machine:
// only folders named as the snapshot phase names them (STAMP:
// 20261206T231700Z) are counted and removed, oldest first; anything else
// an admin put there stays.
#include <algorithm>
#include <filesystem>
#include <regex>

#include "phases.h"

namespace fleetk8s::cluster::phases {

namespace fs = std::filesystem;

Phase prune_backups() {
  Phase p;
  p.title = "Remove the snapshots beyond --keep";
  p.hosts = "this machine";
  p.reads = "--out, --keep";
  p.skip = [](const ClusterRun& run) -> std::optional<std::string> {
    if (run.options.keep_backups <= 0) return "--keep 0 keeps every snapshot";
    return std::nullopt;
  };
  p.run = [](ClusterRun& run) -> ssh::Task<Outcome> {
    static const std::regex stamp(R"(\d{8}T\d{6}Z)");
    std::vector<std::string> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(run.options.backup_dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_directory(ec) && !entry.is_symlink(ec) && std::regex_match(name, stamp)) found.push_back(name);
    }
    std::sort(found.begin(), found.end());
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
                (removed ? ", " + std::to_string(removed) + " older one(s) removed" : ""));
    co_return Outcome::next();
  };
  return p;
}

}  // namespace fleetk8s::cluster::phases
