// -e/--extra-vars as ansible-playbook takes it, shared by run, up and check.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"

namespace fleetk8s::cli {

// Each item: @FILE (YAML/JSON), an inline YAML/JSON mapping, or key=value
// pairs; later items win. Stricter than Ansible, which sets `_raw_params`
// or skips: an empty item, a word without `=` ("-e foo", "-e name"), an
// empty name ("-e =x") or a name that is not a variable name is an error
// (kInvalidInput) naming the item. `origins` (may be null) receives where
// each name was set, for messages: "-e", or "-e @FILE:LINE".
Result<Value::Object> parse_extra_vars(const std::vector<std::string>& items,
                                       std::map<std::string, std::string>* origins = nullptr);

// "a, b,c" -> {"a", "b", "c"}.
std::vector<std::string> split_commas(const std::string& s);

}  // namespace fleetk8s::cli
