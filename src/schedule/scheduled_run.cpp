#include "fleetk8s/schedule/scheduled_run.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>

namespace fleetk8s::schedule {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

bool looks_like_secret(std::string_view raw) {
  std::string name(raw);
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto suffix : {"_file", "_path", "_dir"})
    if (ends_with(name, suffix)) return false;
  static constexpr std::array kParts = {"pass", "secret", "token"};
  if (std::any_of(kParts.begin(), kParts.end(), [&](const char* p) { return name.find(p) != std::string::npos; }))
    return true;
  return ends_with(name, "_key") || name == "key";
}

std::string absolute_path(std::string_view path, std::string_view cwd) {
  std::filesystem::path p(path);
  if (p.is_relative()) p = std::filesystem::path(cwd) / p;
  std::string out = p.lexically_normal().string();
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

Result<std::vector<std::string>> scheduled_command(const RunRequest& r) {
  const char* command = r.watch ? "watch" : r.backup ? "backup" : r.check_only ? "check" : "up";
  std::vector<std::string> argv = {r.fleetk8s, command, absolute_path(r.inventory, r.cwd)};
  for (const auto& e : r.extra_vars) {
    if (!e.item.empty() && e.item.front() == '@') {
      argv.insert(argv.end(), {"-e", "@" + absolute_path(e.item.substr(1), r.cwd)});
      continue;
    }
    for (const auto& name : e.names)
      if (looks_like_secret(name))
        return Error(ErrorKind::kInvalidInput,
                     "-e " + name +
                         "=...: a scheduled run's command line is written into a unit file: pass secrets in a file "
                         "(-e @FILE, --connection-password-file FILE, --become-password-file FILE), not on the "
                         "command line");
    argv.insert(argv.end(), {"-e", e.item});
  }
  for (const auto& o : r.options) {
    argv.push_back(o.name);
    if (o.has_value) argv.push_back(o.is_path ? absolute_path(o.value, r.cwd) : o.value);
  }
  if (!r.check_only && !r.backup && !r.watch && !r.wait_lock.empty()) argv.insert(argv.end(), {"--wait-lock", r.wait_lock});
  return argv;
}

}  // namespace fleetk8s::schedule
