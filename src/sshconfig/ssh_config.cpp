#include "fleetk8s/sshconfig/ssh_config.h"

#include "entry.h"
#include "expand.h"
#include "fleetk8s/core/file.h"
#include "parser.h"

#include <cstdlib>

namespace fleetk8s::sshconfig {

SshConfig::SshConfig() = default;
SshConfig::~SshConfig() = default;
SshConfig::SshConfig(const SshConfig&) = default;
SshConfig::SshConfig(SshConfig&&) noexcept = default;
SshConfig& SshConfig::operator=(const SshConfig&) = default;
SshConfig& SshConfig::operator=(SshConfig&&) noexcept = default;

Result<SshConfig> SshConfig::load(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  Origin origin;
  origin.file = path;
  origin.system = path.rfind("/etc/ssh/", 0) == 0;
  if (origin.system) {
    origin.include_dir = "/etc/ssh";
  } else {
    // ssh expands "~/.ssh" of a user file's relative Include with glob(3),
    // which prefers $HOME.
    const char* env = std::getenv("HOME");
    const std::string home = env && *env ? env : home_directory();
    origin.include_dir = home + "/.ssh";
  }
  auto entries = parse_config(*text, origin);
  if (!entries) return entries.error();
  SshConfig config;
  config.entries_ = std::move(*entries);
  return config;
}

Result<SshConfig> SshConfig::parse(std::string_view text, const std::string& file, const std::string& include_dir) {
  Origin origin;
  origin.file = file;
  origin.include_dir = include_dir;
  origin.system = include_dir == "/etc/ssh";
  auto entries = parse_config(text, origin);
  if (!entries) return entries.error();
  SshConfig config;
  config.entries_ = std::move(*entries);
  return config;
}

void SshConfig::append(const SshConfig& other) {
  entries_.insert(entries_.end(), other.entries_.begin(), other.entries_.end());
}

std::vector<HostBlock> SshConfig::host_blocks() const {
  std::vector<HostBlock> out;
  for (const Entry& e : entries_)
    if (e.kind == Entry::Kind::kHost) out.push_back(HostBlock{e.args, e.file, e.line});
  return out;
}

}  // namespace fleetk8s::sshconfig
