// Ansible's YAML inventory format (ansible/plugins/inventory/yaml.py):
//   all: {hosts: {h: {vars}}, children: {g: {...}}, vars: {...}}
// Where Ansible only warns and skips (unexpected keys, non-mapping
// groups), fleetk8s refuses: a silently dropped host is worse than an error.
#include <string>

#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/yaml/node.h"
#include "host_range.h"

namespace fleetk8s::inventory {
namespace {

using yaml::Node;

class YamlParser {
 public:
  explicit YamlParser(const std::string& source) : source_(source) {}

  Result<Inventory> parse(std::string_view text) {
    auto root = yaml::parse(text, source_);
    if (!root.ok()) return root.error();
    // Ansible's YAML plugin rejects an empty file, but its INI plugin then
    // reads it as an empty inventory.
    if (!root->is_null() && !root->is_map()) {
      return error(*root, std::string("a YAML inventory must be a mapping of groups, got a ") +
                              root->kind_name());
    }
    if (const Node* plugin = root->get("plugin"); plugin && !yaml::to_value(*plugin).is_null()) {
      return error(*plugin, "inventory plugin configurations are not supported, only static inventories");
    }
    for (const auto& [key, data] : root->entries()) {
      auto r = parse_group(key, data);
      if (!r.ok()) return r.error();
    }
    inv_.finish();
    return std::move(inv_);
  }

 private:
  Error error(const Node& at, const std::string& message) const {
    return Error(ErrorKind::kInvalidInput, source_ + ":" + std::to_string(at.mark().line) + ":" +
                                               std::to_string(at.mark().column) + ": " + message);
  }

  // "SOURCE:LINE" of a node, for Inventory::set_origin().
  std::string where(const Node& at) const { return source_ + ":" + std::to_string(at.mark().line); }

  // A key that must be a string (group or host name).
  Result<std::string> name_of(const Node& key, const char* what) const {
    Value v = yaml::to_value(key);
    if (!v.is_string()) {
      return error(key, std::string(what) + " " + v.to_json() +
                            " must be a string; put it in quotes");
    }
    return v.as_string();
  }

  static bool is_falsy(const Value& v) {
    switch (v.type()) {
      case Value::Type::kNull: return true;
      case Value::Type::kBool: return !v.as_bool();
      case Value::Type::kInt: return v.as_int() == 0;
      case Value::Type::kDouble: return v.as_double() == 0;
      case Value::Type::kString: return v.as_string().empty();
      case Value::Type::kArray: return v.as_array().empty();
      case Value::Type::kObject: return v.as_object().empty();
    }
    return false;
  }

  // Ansible accepts a bare string for a section: "hosts: web1".
  static bool is_string_scalar(const Node& n) { return n.is_scalar() && yaml::to_value(n).is_string(); }

  Result<std::string> parse_group(const Node& key, const Node& data) {
    auto name = name_of(key, "group name");
    if (!name.ok()) return name.error();
    if (!data.is_map() && !data.is_null()) {
      return error(data, "group \"" + *name + "\" must be a mapping with hosts, vars or children, got a " +
                             data.kind_name());
    }
    inv_.add_group(*name);
    for (const auto& [section_key, section] : data.entries()) {
      const std::string& section_name = section_key.scalar();
      Result<void> r;
      if (section_name == "hosts") {
        r = parse_hosts(*name, section);
      } else if (section_name == "children") {
        r = parse_children(*name, section);
      } else if (section_name == "vars") {
        r = parse_group_vars(*name, section);
      } else {
        return error(section_key, "group \"" + *name + "\" has unexpected key \"" + section_name +
                                      "\" (expected hosts, vars or children)");
      }
      if (!r.ok()) return r.error();
    }
    return *name;
  }

  Result<void> check_section(const std::string& group, const char* section, const Node& n) const {
    if (n.is_map() || n.is_null() || is_string_scalar(n)) return {};
    return error(n, std::string("\"") + section + "\" of group \"" + group +
                        "\" must be a mapping, got a " + n.kind_name());
  }

  Result<void> parse_hosts(const std::string& group, const Node& hosts) {
    if (auto r = check_section(group, "hosts", hosts); !r.ok()) return r;
    if (hosts.is_scalar()) return add_hosts(group, hosts, Node());
    for (const auto& [key, vars] : hosts.entries()) {
      if (auto r = add_hosts(group, key, vars); !r.ok()) return r;
    }
    return {};
  }

  Result<void> add_hosts(const std::string& group, const Node& key, const Node& vars) {
    auto pattern = name_of(key, "host name");
    if (!pattern.ok()) return pattern.error();
    auto entry = expand_host_entry(*pattern);
    if (!entry.ok()) return error(key, entry.error().message());
    Value values = yaml::to_value(vars);
    if (is_falsy(values)) values = Value();  // Ansible's `vars or {}`
    if (!values.is_object() && !values.is_null()) {
      return error(vars, "variables of host \"" + *pattern + "\" must be a mapping, got " +
                             values.to_json());
    }
    for (const auto& host : entry->names) {
      if (host.empty()) return error(key, "empty host name");
      bool is_new = !inv_.has_host(host);
      inv_.add_host(host, group);
      inv_.set_origin(Inventory::Origin::kMember, group, host, where(key));
      if (is_new && entry->port) {
        inv_.set_host_var(host, "ansible_port", Value(*entry->port));
        inv_.set_origin(Inventory::Origin::kHostVar, host, "ansible_port", where(key));
      }
      if (!values.is_object()) continue;
      for (const auto& [k, v] : values.as_object()) {
        inv_.set_host_var(host, k, v);
        const Node* at = vars.get(k);
        inv_.set_origin(Inventory::Origin::kHostVar, host, k, where(at ? *at : vars));
      }
    }
    return {};
  }

  Result<void> parse_children(const std::string& group, const Node& children) {
    if (auto r = check_section(group, "children", children); !r.ok()) return r;
    if (children.is_scalar()) return add_child(group, children, Node());
    for (const auto& [key, data] : children.entries()) {
      if (auto r = add_child(group, key, data); !r.ok()) return r;
    }
    return {};
  }

  Result<void> add_child(const std::string& group, const Node& key, const Node& data) {
    auto child = parse_group(key, data);
    if (!child.ok()) return child.error();
    auto r = inv_.add_child(group, *child);
    if (!r.ok()) return error(key, r.error().message());
    return {};
  }

  Result<void> parse_group_vars(const std::string& group, const Node& vars) {
    if (auto r = check_section(group, "vars", vars); !r.ok()) return r;
    Value values = yaml::to_value(vars);
    if (values.is_string()) values = Value(Value::Object{{values.as_string(), Value()}});
    if (!values.is_object()) return {};
    for (const auto& [k, v] : values.as_object()) {
      auto r = inv_.set_group_var(group, k, v);
      const Node* at = vars.get(k);
      if (!r.ok()) return error(at ? *at : vars, r.error().message());
      inv_.set_origin(Inventory::Origin::kGroupVar, group, k, where(at ? *at : vars));
    }
    return {};
  }

  const std::string& source_;
  Inventory inv_;
};

}  // namespace

Result<Inventory> Inventory::parse_yaml(std::string_view text, const std::string& source) {
  return YamlParser(source).parse(text);
}

}  // namespace fleetk8s::inventory
