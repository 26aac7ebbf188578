// YAML output as Ansible's to_yaml / to_nice_yaml produce it with PyYAML:
// sorted keys, indentless block sequences under mapping keys, strings
// quoted exactly when YAML 1.1 would read them as something else.
// Simplified: long lines are not folded, and strings with line breaks or
// control characters are double-quoted with escapes.
#pragma once

#include <string>

#include "fleetk8s/core/value.h"

namespace fleetk8s::tmpl::detail {

struct YamlStyle {
  int indent = 2;
  // true: collections holding only scalars are written inline ([1, 2],
  // {a: 1}), as to_yaml (default_flow_style=None); false: block style
  // everywhere, as to_nice_yaml.
  bool flow_leaves = true;
};

std::string yaml_dump(const Value& v, const YamlStyle& style = {});

}  // namespace fleetk8s::tmpl::detail
