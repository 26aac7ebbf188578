#include "install_paths.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace fleetk8s::cli {

namespace fs = std::filesystem;

Result<std::string> playbook_dir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("FLEETK8S_PLAYBOOK_DIR"); env && *env) return std::string(env);
  std::error_code ec;
  std::string looked;
  if (const fs::path exe = fs::read_symlink("/proc/self/exe", ec); !ec) {
    const fs::path installed = (exe.parent_path() / FLEETK8S_PLAYBOOKS_FROM_BINDIR).lexically_normal();
    if (fs::is_directory(installed, ec)) return installed.string();
    looked = installed.string() + ", ";
  }
  if (fs::is_directory(FLEETK8S_SOURCE_PLAYBOOKS, ec)) return std::string(FLEETK8S_SOURCE_PLAYBOOKS);
  looked += FLEETK8S_SOURCE_PLAYBOOKS;
  return Error(ErrorKind::kNotFound,
               "fleetk8s' playbooks are not installed (looked in " + looked +
                   "): reinstall fleetk8s, or name them with --playbook-dir or FLEETK8S_PLAYBOOK_DIR");
}

}  // namespace fleetk8s::cli
