// The JSON document of `ansible-inventory --list`, following
// InventoryCLI.json_inventory() in ansible/cli/inventory.py.
#include <set>

#include "fleetk8s/inventory/inventory.h"

namespace fleetk8s::inventory {
namespace {

// Variables ansible-inventory never prints (its INTERNAL_VARS).
bool is_internal(const std::string& name) {
  static const std::set<std::string> kInternal = {
      "ansible_diff_mode", "ansible_config_file",      "ansible_facts",      "ansible_forks",
      "ansible_inventory_sources", "ansible_limit",    "ansible_playbook_python",
      "ansible_run_tags",  "ansible_skip_tags",        "ansible_verbosity",  "ansible_version",
      "inventory_dir",     "inventory_file",           "inventory_hostname",
      "inventory_hostname_short", "groups",            "group_names",        "omit",
      "playbook_dir"};
  return kInternal.count(name) > 0;
}

Value::Array names(const std::vector<std::string>& list) {
  Value::Array out;
  for (const auto& n : list) out.emplace_back(n);
  return out;
}

// Adds `group` and, depth first, the groups below it. Empty entries are
// left out, as are groups with neither hosts nor children.
void format_group(const Inventory& inv, const Group& group, Value::Object& out,
                  std::set<std::string>& seen) {
  Value::Object entry;
  if (group.name != "all" && !group.hosts.empty()) entry["hosts"] = Value(names(group.hosts));
  if (!group.children.empty()) entry["children"] = Value(names(group.children));
  for (const auto& child : group.children) {
    if (seen.insert(child).second) format_group(inv, *inv.find_group(child), out, seen);
  }
  if (!entry.empty()) out[group.name] = Value(std::move(entry));
}

}  // namespace

Value Inventory::to_ansible_list() const {
  Value::Object out;
  std::set<std::string> seen;
  format_group(*this, *find_group("all"), out, seen);
  Value::Object hostvars;
  for (const auto& host : hosts_) {
    Value::Object vars = host_vars(host);
    for (auto it = vars.begin(); it != vars.end();) {
      it = is_internal(it->first) ? vars.erase(it) : std::next(it);
    }
    if (!vars.empty()) hostvars[host] = Value(std::move(vars));
  }
  out["_meta"] = Value(Value::Object{{"hostvars", Value(std::move(hostvars))}});
  return Value(std::move(out));
}

}  // namespace fleetk8s::inventory
