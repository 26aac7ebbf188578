// ProxyJump specifications as OpenSSH reads them (ssh -J, ProxyJump):
// "[user@]host[:port]" or "ssh://[user@]host[:port]", several separated by
// commas (outermost first); "none" is no jump. IPv6 addresses in brackets.
// Private to src/orchestrator.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"

namespace fleetk8s::orchestrator {

struct JumpHop {
  std::string user;         // empty: not given
  std::string host;         // as written (brackets removed)
  std::optional<int> port;  // not given: ssh_config's, else 22
};

// The hops of `text`, outermost first; empty for "none". Errors
// (kInvalidInput) quote the part at fault and the expected form.
Result<std::vector<JumpHop>> parse_jump_spec(std::string_view text);

}  // namespace fleetk8s::orchestrator
