// Inventory::load: read a file and pick the format as Ansible's plugin
// chain would (yaml plugin for YAML extensions or none, else ini).
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fleetk8s/core/file.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/yaml/node.h"
#include "vars_dirs.h"

namespace fleetk8s::inventory {
namespace {

Result<std::string> read_inventory_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Error(ErrorKind::kInvalidInput, path + ": cannot read: " + std::strerror(EISDIR) +
                                               " (inventory directories are not supported)");
  }
  return read_file(path);
}

bool looks_like_yaml_inventory(const std::string& text) {
  auto root = yaml::parse(text, "");
  return root.ok() && root->is_map();
}

}  // namespace

Result<Inventory> Inventory::load(const std::string& path) {
  auto text = read_inventory_file(path);
  if (!text.ok()) return text.error();
  std::string ext = std::filesystem::path(path).extension().string();
  bool is_yaml = ext == ".yml" || ext == ".yaml" || ext == ".json" ||
                 (ext.empty() && looks_like_yaml_inventory(*text));
  auto inv = is_yaml ? parse_yaml(*text, path) : parse_ini(*text, path);
  if (!inv.ok()) return inv;
  auto vars = load_vars_dirs(*inv, std::filesystem::path(path).parent_path().string());
  if (!vars.ok()) return vars.error();
  return inv;
}

}  // namespace fleetk8s::inventory
