// Host ranges as Ansible expands them: "web[01:03]", "node[1:9:2]",
// "db-[a:c]", several ranges in one name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"

namespace fleetk8s::inventory {

// Expands every [begin:end(:step)] range in `pattern`, leftmost first.
// Errors (kInvalidInput, no location) explain what is wrong with the range;
// more than 100000 names in all is an error too.
Result<std::vector<std::string>> expand_host_range(std::string_view pattern);

// A host entry of an inventory file: the names it stands for and the port
// it gives them, as BaseInventoryPlugin._expand_hostpattern() reads it.
struct HostEntry {
  std::vector<std::string> names;
  std::optional<std::int64_t> port;
};
Result<HostEntry> expand_host_entry(std::string_view text);

}  // namespace fleetk8s::inventory
