#include "fleetk8s/ssh/options.h"

namespace fleetk8s::ssh {

std::optional<HostKeyPolicy> parse_host_key_policy(const std::string& text) {
  if (text == "strict" || text == "yes") return HostKeyPolicy::kStrict;
  if (text == "accept-new") return HostKeyPolicy::kAcceptNew;
  if (text == "off" || text == "no") return HostKeyPolicy::kOff;
  return std::nullopt;
}

const char* to_string(HostKeyPolicy policy) {
  switch (policy) {
    case HostKeyPolicy::kStrict: return "strict";
    case HostKeyPolicy::kAcceptNew: return "accept-new";
    case HostKeyPolicy::kOff: return "off";
  }
  return "strict";
}

}  // namespace fleetk8s::ssh
