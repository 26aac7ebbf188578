// The inventory data model: Ansible's InventoryData, Group and Host rules
// (membership, ancestry, reconcile, variable precedence).
#include "fleetk8s/inventory/inventory.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <set>
#include <tuple>

#include "fleetk8s/core/number.h"

namespace fleetk8s::inventory {
namespace {

template <class T>
bool contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Python's int() for the values ansible_group_priority can have.
// Stricter than Python: the result must fit an int (no NaN, no infinity, no 1e300).
std::optional<int> to_priority(const Value& v) {
  const auto fits = [](std::optional<std::int64_t> n) -> std::optional<int> {
    if (!n || *n < std::numeric_limits<int>::min() || *n > std::numeric_limits<int>::max()) return std::nullopt;
    return static_cast<int>(*n);
  };
  if (v.is_int()) return fits(v.as_int());
  if (v.is_bool()) return v.as_bool() ? 1 : 0;
  if (v.is_double()) return fits(truncate_to_int64(v.as_double()));
  if (!v.is_string()) return std::nullopt;
  std::string s = v.as_string();
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t") + 1);
  if (!s.empty() && s[0] == '+') s.erase(0, 1);
  int out = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return out;
}

}  // namespace

Inventory::Inventory() {
  add_group("all");
  add_group("ungrouped");
  (void)add_child("all", "ungrouped");
}

Inventory::GroupState* Inventory::state(std::string_view group) {
  auto it = group_index_.find(group);
  return it == group_index_.end() ? nullptr : &groups_[it->second];
}

const Inventory::GroupState* Inventory::state(std::string_view group) const {
  auto it = group_index_.find(group);
  return it == group_index_.end() ? nullptr : &groups_[it->second];
}

bool Inventory::has_host(std::string_view name) const {
  return host_own_vars_.find(name) != host_own_vars_.end();
}

const Group* Inventory::find_group(std::string_view name) const {
  const GroupState* g = state(name);
  return g ? &g->group : nullptr;
}

std::vector<std::string> Inventory::group_names() const {
  std::vector<std::string> out;
  out.reserve(groups_.size());
  for (const auto& g : groups_) out.push_back(g.group.name);
  return out;
}

int Inventory::group_priority(std::string_view group) const {
  const GroupState* g = state(group);
  return g ? g->priority : 1;
}

int Inventory::depth(const GroupState& g) const {
  int d = 0;
  for (const auto& parent : g.parents) d = std::max(d, depth(*state(parent)) + 1);
  return d;
}

void Inventory::collect_ancestors(const GroupState& g, std::vector<std::string>& out) const {
  if (contains(out, g.group.name)) return;
  out.push_back(g.group.name);
  for (const auto& parent : g.parents) collect_ancestors(*state(parent), out);
}

std::vector<std::string> Inventory::groups_of(std::string_view host) const {
  std::vector<std::string> out;
  auto it = host_direct_groups_.find(host);
  if (it == host_direct_groups_.end()) return out;
  for (const auto& name : it->second) collect_ancestors(*state(name), out);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<const Inventory::GroupState*> Inventory::descendants(const GroupState& start) const {
  std::vector<const GroupState*> order{&start};
  std::set<std::string_view> seen{start.group.name};
  for (size_t i = 0; i < order.size(); ++i) {
    for (const auto& child : order[i]->group.children) {
      if (seen.insert(child).second) order.push_back(state(child));
    }
  }
  return order;
}

std::vector<std::string> Inventory::hosts_in(std::string_view group) const {
  std::vector<std::string> out;
  const GroupState* g = state(group);
  if (!g) return out;
  std::set<std::string_view> seen;
  for (const GroupState* member : descendants(*g)) {
    for (const auto& host : member->group.hosts) {
      if (seen.insert(host).second) out.push_back(host);
    }
  }
  return out;
}

std::vector<const Inventory::GroupState*> Inventory::var_groups(std::string_view host) const {
  std::vector<std::tuple<int, int, std::string>> order;  // Ansible's sort_groups key
  for (const auto& name : groups_of(host)) {
    if (name == "all") continue;
    const GroupState& g = *state(name);
    order.emplace_back(depth(g), g.priority, name);
  }
  std::sort(order.begin(), order.end());
  std::vector<const GroupState*> out;
  for (const auto& entry : order) out.push_back(state(std::get<2>(entry)));
  return out;
}

Value::Object Inventory::host_vars(std::string_view host) const {
  Value::Object out;
  auto own = host_own_vars_.find(host);
  if (own == host_own_vars_.end()) return out;
  const auto groups = var_groups(host);
  auto overlay = [&out](const Value::Object& vars) {
    for (const auto& [k, v] : vars) out.insert_or_assign(k, v);
  };
  // Ansible's default VARIABLE_PRECEDENCE: all_inventory, groups_inventory,
  // all_plugins_inventory, groups_plugins_inventory; then the host's.
  // var_origin() walks the same layers backwards.
  overlay(state("all")->group.vars);
  for (const GroupState* g : groups) overlay(g->group.vars);
  overlay(state("all")->file_vars);
  for (const GroupState* g : groups) overlay(g->file_vars);
  overlay(own->second);
  if (auto file = host_file_vars_.find(host); file != host_file_vars_.end()) overlay(file->second);
  return out;
}

namespace {

std::string origin_key(Inventory::Origin what, std::string_view name, std::string_view key) {
  return std::to_string(static_cast<int>(what)) + std::string(name) + '\n' + std::string(key);
}

}  // namespace

void Inventory::set_origin(Origin what, std::string_view name, std::string_view key, std::string where) {
  origins_.insert_or_assign(origin_key(what, name, key), std::move(where));
}

std::string Inventory::member_origin(std::string_view group, std::string_view host) const {
  auto it = origins_.find(origin_key(Origin::kMember, group, host));
  return it == origins_.end() ? "" : it->second;
}

std::string Inventory::var_origin(std::string_view host, std::string_view key) const {
  auto own = host_own_vars_.find(host);
  if (own == host_own_vars_.end()) return "";
  auto recorded = [&](Origin what, std::string_view name) {
    auto it = origins_.find(origin_key(what, name, key));
    return it == origins_.end() ? std::string() : it->second;
  };
  auto has = [&](const Value::Object& vars) { return vars.find(std::string(key)) != vars.end(); };
  // host_vars()'s layers, highest first.
  if (auto file = host_file_vars_.find(host); file != host_file_vars_.end() && has(file->second))
    return "host_vars/" + std::string(host);
  if (has(own->second)) return recorded(Origin::kHostVar, host);
  auto groups = var_groups(host);
  std::reverse(groups.begin(), groups.end());
  for (const GroupState* g : groups)
    if (has(g->file_vars)) return "group_vars/" + g->group.name;
  if (has(state("all")->file_vars)) return "group_vars/all";
  for (const GroupState* g : groups)
    if (has(g->group.vars)) return recorded(Origin::kGroupVar, g->group.name);
  if (has(state("all")->group.vars)) return recorded(Origin::kGroupVar, "all");
  return "";
}

void Inventory::add_group(const std::string& name) {
  if (group_index_.count(name)) return;
  group_index_.emplace(name, groups_.size());
  GroupState g;
  g.group.name = name;
  groups_.push_back(std::move(g));
}

void Inventory::add_host(const std::string& host, const std::string& group) {
  if (!has_host(host)) {
    hosts_.push_back(host);
    host_own_vars_[host];
    host_direct_groups_[host];
  }
  if (group.empty()) return;
  auto& direct = host_direct_groups_[host];  // short, unlike a big group's host list
  if (contains(direct, group)) return;
  direct.push_back(group);
  state(group)->group.hosts.push_back(host);
}

Result<void> Inventory::add_child(const std::string& parent, const std::string& child) {
  GroupState& p = *state(parent);
  if (contains(p.group.children, child)) return {};
  // A cycle exists if `parent` is reachable from `child` going down.
  std::vector<std::string> path{parent, child};
  std::set<std::string> visited;
  auto reaches_parent = [&](auto& self, const std::string& from) -> bool {
    if (from == parent) return true;
    if (!visited.insert(from).second) return false;
    for (const auto& next : state(from)->group.children) {
      path.push_back(next);
      if (self(self, next)) return true;
      path.pop_back();
    }
    return false;
  };
  if (reaches_parent(reaches_parent, child)) {
    std::string cycle;
    for (const auto& name : path) cycle += (cycle.empty() ? "" : " -> ") + name;
    return Error(ErrorKind::kInvalidInput, "adding group \"" + child + "\" to \"" + parent +
                                               "\" creates a cycle: " + cycle);
  }
  p.group.children.push_back(child);
  GroupState& c = *state(child);
  if (!contains(c.parents, parent)) c.parents.push_back(parent);
  return {};
}

Result<void> Inventory::set_group_var(const std::string& group, const std::string& key,
                                      Value value) {
  GroupState& g = *state(group);
  if (key == "ansible_group_priority") {
    auto priority = to_priority(value);
    if (!priority) {
      return Error(ErrorKind::kInvalidInput,
                   "ansible_group_priority must be an integer, got " + value.to_json());
    }
    g.priority = *priority;
    return {};
  }
  g.group.vars.insert_or_assign(key, std::move(value));
  return {};
}

void Inventory::set_host_var(const std::string& host, const std::string& key, Value value) {
  host_own_vars_[host].insert_or_assign(key, std::move(value));
}

void Inventory::set_group_vars_file(const std::string& group, Value::Object vars) {
  state(group)->file_vars = std::move(vars);
}

void Inventory::set_host_vars_file(const std::string& host, Value::Object vars) {
  host_file_vars_[host] = std::move(vars);
}

void Inventory::finish() {
  for (size_t i = 0; i < groups_.size(); ++i) {
    if (groups_[i].group.name != "all" && groups_[i].parents.empty()) {
      (void)add_child("all", groups_[i].group.name);  // cannot form a cycle
    }
  }
  GroupState& ungrouped = *state("ungrouped");
  for (const auto& host : hosts_) {
    std::vector<std::string> groups = groups_of(host);
    if (contains(groups, std::string("ungrouped"))) {
      bool elsewhere = std::any_of(groups.begin(), groups.end(), [](const std::string& g) {
        return g != "all" && g != "ungrouped";
      });
      if (elsewhere) {
        auto& members = ungrouped.group.hosts;
        members.erase(std::remove(members.begin(), members.end(), host), members.end());
        auto& direct = host_direct_groups_[host];
        direct.erase(std::remove(direct.begin(), direct.end(), "ungrouped"), direct.end());
      }
    } else if (groups.empty() || groups == std::vector<std::string>{"all"}) {
      add_host(host, "ungrouped");
    }
  }
}

}  // namespace fleetk8s::inventory
