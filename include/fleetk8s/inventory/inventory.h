// Ansible-compatible inventories: hosts, groups, variables and host
// patterns, read from Ansible's INI or YAML inventory formats. Knows
// nothing about SSH; connection.h turns a host's variables into settings.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"

namespace fleetk8s::inventory {

// A group as written in the inventory: direct members only.
struct Group {
  std::string name;
  std::vector<std::string> hosts;     // direct members, in the order added
  std::vector<std::string> children;  // direct child groups, in the order added
  Value::Object vars;                 // the group's own variables
};

// Hosts and groups with their variables. Always has the groups "all" and
// "ungrouped". A value type; not thread-safe for concurrent modification,
// safe for concurrent reads.
class Inventory {
 public:
  // Reads an inventory file: YAML for .yml/.yaml/.json, INI for other
  // extensions, and for no extension YAML when the text is a YAML mapping,
  // else INI (Ansible's plugin order). Then reads group_vars/ and
  // host_vars/ beside the file, as Ansible does. An unreadable file gives
  // "PATH: cannot read: reason".
  static Result<Inventory> load(const std::string& path);
  // Parses Ansible's INI format; errors read "SOURCE:LINE: message" followed
  // by a newline and the offending line.
  static Result<Inventory> parse_ini(std::string_view text, const std::string& source);
  // Parses Ansible's YAML format; errors read "SOURCE:LINE:COL: message".
  static Result<Inventory> parse_yaml(std::string_view text, const std::string& source);

  // An empty inventory: just "all" with its child "ungrouped".
  Inventory();

  // Every host, in the order first defined.
  const std::vector<std::string>& host_names() const { return hosts_; }
  // True if the host is defined.
  bool has_host(std::string_view name) const;
  // The group, or nullptr.
  const Group* find_group(std::string_view name) const;
  // Every group name, in the order first defined ("all", "ungrouped" first).
  std::vector<std::string> group_names() const;
  // Every group the host is in, ancestors and "all" included, sorted by
  // name. Empty for an unknown host.
  std::vector<std::string> groups_of(std::string_view host) const;
  // The host's effective variables with Ansible's precedence, later wins:
  // the inventory's "all" vars, the inventory vars of the host's other
  // groups ordered by (depth, ansible_group_priority, name), group_vars/all,
  // group_vars/ of those groups in the same order, the host's inventory
  // vars, host_vars/ of the host. Magic variables are not included.
  Value::Object host_vars(std::string_view host) const;
  // Hosts in the group or any group below it, breadth first through the
  // group tree, each group's hosts in the order added: Ansible's order for
  // the `groups` magic variable and for patterns. Empty for unknown groups.
  std::vector<std::string> hosts_in(std::string_view group) const;
  // The group's ansible_group_priority (default 1); 1 for unknown groups.
  int group_priority(std::string_view group) const;

  // Hosts matching an Ansible host pattern (see pattern.h), in Ansible's
  // order. An error if nothing matches at all, naming the parts that
  // matched nothing, or if the pattern is malformed.
  Result<std::vector<std::string>> select(std::string_view pattern) const;
  // Exactly the JSON shape `ansible-inventory -i FILE --list` prints.
  Value to_ansible_list() const;

  // -- Building, as Ansible's InventoryData does it. Used by the parsers
  // (and later by add_host/group_by).

  // Adds an empty group unless it exists.
  void add_group(const std::string& name);
  // Adds the host unless it exists, then makes it a direct member of
  // `group` unless `group` is empty. REQUIRES: `group` exists if non-empty.
  void add_host(const std::string& host, const std::string& group);
  // Makes `child` a child group of `parent`. Errors if that would create a
  // cycle ("... creates a cycle: a -> b -> a"). REQUIRES: both exist.
  Result<void> add_child(const std::string& parent, const std::string& child);
  // Sets a group variable; ansible_group_priority sets the priority instead
  // (an error unless it is an integer). REQUIRES: the group exists.
  Result<void> set_group_var(const std::string& group, const std::string& key, Value value);
  // Sets a host variable. REQUIRES: the host exists.
  void set_host_var(const std::string& host, const std::string& key, Value value);
  // Sets the variables read from group_vars/GROUP or host_vars/HOST files,
  // which rank as host_vars() describes. REQUIRES: the group or host exists.
  void set_group_vars_file(const std::string& group, Value::Object vars);
  void set_host_vars_file(const std::string& host, Value::Object vars);
  // Ansible's reconcile step, run once after parsing: parentless groups
  // become children of "all", hosts in no group join "ungrouped", hosts in
  // another group leave it.
  void finish();

  // -- Where things were written, for one-line messages naming FILE:LINE.
  // The readers record it; "" when unknown (added in code).

  enum class Origin { kGroupVar, kHostVar, kMember };
  // Records where variable `key` of group or host `name` was set, or (kMember)
  // where host `key` was made a direct member of group `name`.
  void set_origin(Origin what, std::string_view name, std::string_view key, std::string where);
  // Where the value host_vars(host) gives for `key` was set: "FILE:LINE" in
  // the inventory, "group_vars/GROUP" or "host_vars/HOST" beside it; "" when
  // the host has no such variable.
  std::string var_origin(std::string_view host, std::string_view key) const;
  // Where `host` was made a direct member of `group`; "" when unknown.
  std::string member_origin(std::string_view group, std::string_view host) const;

 private:
  struct GroupState {
    Group group;
    std::vector<std::string> parents;
    int priority = 1;
    Value::Object file_vars;  // from group_vars/
  };

  GroupState* state(std::string_view group);
  const GroupState* state(std::string_view group) const;
  int depth(const GroupState& g) const;
  // The group and all its ancestors.
  void collect_ancestors(const GroupState& g, std::vector<std::string>& out) const;
  // Descendant groups of `start`, breadth first (cycles are impossible).
  std::vector<const GroupState*> descendants(const GroupState& start) const;
  // The host's groups but "all", in variable precedence order (lowest first).
  std::vector<const GroupState*> var_groups(std::string_view host) const;

  std::vector<GroupState> groups_;                      // in creation order
  std::map<std::string, size_t, std::less<>> group_index_;
  std::vector<std::string> hosts_;                      // in creation order
  std::map<std::string, Value::Object, std::less<>> host_own_vars_;
  std::map<std::string, std::vector<std::string>, std::less<>> host_direct_groups_;
  std::map<std::string, Value::Object, std::less<>> host_file_vars_;  // from host_vars/
  std::map<std::string, std::string, std::less<>> origins_;  // see set_origin()
};

}  // namespace fleetk8s::inventory
