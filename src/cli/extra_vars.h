// -e/--extra-vars as ansible-playbook takes it, shared by run, up and check.
#pragma once

#include <string>
#include <vector>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"

namespace fleetk8s::cli {

// Each item: @FILE (YAML/JSON), an inline YAML/JSON mapping, or key=value
// pairs; later items win.
Result<Value::Object> parse_extra_vars(const std::vector<std::string>& items);

// "a, b,c" -> {"a", "b", "c"}.
std::vector<std::string> split_commas(const std::string& s);

}  // namespace fleetk8s::cli
