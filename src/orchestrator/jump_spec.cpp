#include "jump_spec.h"

namespace fleetk8s::orchestrator {

namespace {

Error bad(std::string_view part) {
  return Error(ErrorKind::kInvalidInput, "jump host '" + std::string(part) +
                                             "': expected [user@]host[:port] or ssh://[user@]host[:port]");
}

Result<JumpHop> parse_hop(std::string_view text) {
  std::string_view rest = text;
  if (rest.rfind("ssh://", 0) == 0) {
    rest.remove_prefix(6);
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  }
  JumpHop hop;
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    hop.user = std::string(rest.substr(0, at));
    rest.remove_prefix(at + 1);
    if (hop.user.empty()) return bad(text);
  }
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {  // [v6]:port
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return bad(text);
    hop.host = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad(text);
      port = rest.substr(1);
      if (port.empty()) return bad(text);
    }
  } else if (auto colon = rest.find(':'); colon != std::string_view::npos) {
    if (rest.find(':', colon + 1) != std::string_view::npos) {
      hop.host = std::string(rest);  // a bare IPv6 address
    } else {
      hop.host = std::string(rest.substr(0, colon));
      port = rest.substr(colon + 1);
      if (port.empty()) return bad(text);
    }
  } else {
    hop.host = std::string(rest);
  }
  if (hop.host.empty() || hop.host.find_first_of(" \t/@") != std::string::npos) return bad(text);
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos) return bad(text);
    const int n = std::stoi(std::string(port));
    if (n < 1 || n > 65535) return bad(text);
    hop.port = n;
  }
  return hop;
}

}  // namespace

Result<std::vector<JumpHop>> parse_jump_spec(std::string_view text) {
  std::vector<JumpHop> hops;
  if (text == "none") return hops;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    auto hop = parse_hop(text.substr(start, comma == std::string_view::npos ? text.npos : comma - start));
    if (!hop) return hop.error();
    hops.push_back(std::move(*hop));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return hops;
}

}  // namespace fleetk8s::orchestrator
