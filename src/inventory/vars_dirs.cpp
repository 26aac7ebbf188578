// Mirrors DataLoader.find_vars_files() and _get_dir_vars_files().
#include "vars_dirs.h"

#include <algorithm>
#include <filesystem>

#include "fleetk8s/yaml/node.h"

namespace fleetk8s::inventory {
namespace {

namespace fs = std::filesystem;

const char* const kExtensions[] = {".yml", ".yaml", ".json"};

bool valid_extension(const std::string& ext) {
  return ext.empty() || std::find(std::begin(kExtensions), std::end(kExtensions), ext) != std::end(kExtensions);
}

void dir_files(const fs::path& dir, std::vector<fs::path>& out) {
  std::error_code ec;
  std::vector<fs::path> entries;
  for (const auto& entry : fs::directory_iterator(dir, ec)) entries.push_back(entry.path());
  std::sort(entries.begin(), entries.end());
  for (const auto& p : entries) {
    std::string name = p.filename().string();
    if (name.empty() || name[0] == '.' || name.back() == '~') continue;
    std::string ext = p.extension().string();
    if (fs::is_directory(p, ec) && ext.empty()) {
      dir_files(p, out);
    } else if (fs::is_regular_file(p, ec) && valid_extension(ext)) {
      out.push_back(p);
    }
  }
}

std::vector<fs::path> vars_files(const fs::path& dir, const std::string& name) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const char* ext : {"", ".yml", ".yaml", ".json"}) {
    fs::path candidate = dir / (name + ext);
    if (!fs::exists(candidate, ec)) continue;
    if (fs::is_directory(candidate, ec)) {
      dir_files(candidate, out);
    } else {
      out.push_back(candidate);
    }
    break;
  }
  return out;
}

// The merged variables of the files for `name` under `dir`.
Result<Value::Object> read_vars(const fs::path& dir, const std::string& name) {
  Value::Object vars;
  // Ansible skips names starting with '/'; names with ".." would leave the directory.
  if (name.empty() || name[0] == '/' || name.find("..") != std::string::npos) return vars;
  for (const auto& file : vars_files(dir, name)) {
    auto node = yaml::load_file(file.string());
    if (!node.ok()) return node.error();
    Value v = yaml::to_value(*node);
    if (v.is_null() || (v.is_object() && v.as_object().empty())) continue;  // empty file
    if (!v.is_object()) {
      return Error(ErrorKind::kInvalidInput,
                   file.string() + ": variables file must be a mapping, got a " + node->kind_name());
    }
    for (auto& [k, value] : v.as_object()) vars.insert_or_assign(k, std::move(value));
  }
  return vars;
}

}  // namespace

Result<void> load_vars_dirs(Inventory& inv, const std::string& basedir) {
  std::error_code ec;
  fs::path group_dir = fs::path(basedir) / "group_vars";
  if (fs::is_directory(group_dir, ec)) {
    for (const auto& group : inv.group_names()) {
      auto vars = read_vars(group_dir, group);
      if (!vars.ok()) return vars.error();
      if (!vars->empty()) inv.set_group_vars_file(group, std::move(*vars));
    }
  }
  fs::path host_dir = fs::path(basedir) / "host_vars";
  if (fs::is_directory(host_dir, ec)) {
    for (const auto& host : inv.host_names()) {
      auto vars = read_vars(host_dir, host);
      if (!vars.ok()) return vars.error();
      if (!vars->empty()) inv.set_host_vars_file(host, std::move(*vars));
    }
  }
  return {};
}

}  // namespace fleetk8s::inventory
