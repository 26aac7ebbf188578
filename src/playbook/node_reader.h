// Reading playbook values out of YAML nodes, with errors that name the
// place ("FILE:LINE:COL: become must be a boolean; got 'maybe'").
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/playbook/model.h"
#include "fleetk8s/yaml/node.h"

namespace fleetk8s::playbook {

// A mapping's entries with YAML merge keys ("<<: *defaults") applied:
// explicit entries first, in document order, then merged ones they do not
// override. Empty for a null node. REQUIRES: a mapping or null.
std::vector<std::pair<const yaml::Node*, const yaml::Node*>> map_entries(const yaml::Node& map);

// True if a string holds a Jinja expression or statement.
bool is_template(const std::string& s);

// Converts the nodes of one file. `what` arguments name the keyword in
// messages ("become").
class NodeReader {
 public:
  explicit NodeReader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }
  Position pos(const yaml::Node& n) const;
  Error error(const yaml::Node& n, const std::string& message) const;

  // The value as Ansible types it (yaml::to_value); !unsafe is refused.
  Result<Value> value(const yaml::Node& n) const;
  Result<Raw> raw(const yaml::Node& n) const;
  // throttle (task, block or play): a number of hosts (0: no limit) or a
  // template, rendered per host at run time.
  Result<Raw> throttle(const yaml::Node& n) const;
  // A literal boolean, as Ansible's boolean() reads it (yes/no, 1/0, ...).
  Result<bool> boolean(const yaml::Node& n, const std::string& what) const;
  // A scalar's text as written (a number keeps its spelling); "" for null.
  Result<std::string> string(const yaml::Node& n, const std::string& what) const;
  Result<int> integer(const yaml::Node& n, const std::string& what) const;
  // A string or a list of strings (numbers allowed, as text); with
  // `split_commas` a lone string is split on "," and each part trimmed.
  Result<std::vector<std::string>> string_list(const yaml::Node& n, const std::string& what,
                                               bool split_commas = false) const;
  // A condition or a list of conditions, each a scalar.
  Result<std::vector<Raw>> conditions(const yaml::Node& n, const std::string& what) const;
  // A mapping, a template string, or a list of those.
  Result<std::vector<Raw>> environment(const yaml::Node& n) const;
  // A mapping (or a list of mappings) of variables, merged into `vars`;
  // names must be valid variable names.
  Result<void> vars(const yaml::Node& n, Value::Object& vars, std::map<std::string, Position>& var_pos) const;

 private:
  std::string file_;
};

}  // namespace fleetk8s::playbook
