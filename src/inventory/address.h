// Host identifiers as Ansible's parse_address() reads them: a hostname,
// IPv4 or IPv6 address, possibly with [x:y] ranges, and an optional :port.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fleetk8s::inventory {

struct HostAddress {
  std::string host;
  std::optional<std::int64_t> port;
};

// Splits "host:port", "[ipv6]:port", "1.2.3.4:port" or a bare identifier.
// nullopt if the text is not a valid host identifier (or contains a range
// while !allow_ranges).
std::optional<HostAddress> parse_address(std::string_view text, bool allow_ranges);

}  // namespace fleetk8s::inventory
