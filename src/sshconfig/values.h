// Reading the values of the keywords fleetk8s honours, with OpenSSH's
// rules and messages (the caller adds FILE:LINE).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fleetk8s/core/result.h"

namespace fleetk8s::sshconfig {

// a2port(): 1..65535 or a TCP service name ("ssh"). Error: Bad port 'x'.
Result<int> parse_port(const std::string& text);

// yes/true or no/false, any case. Error: unsupported option "x".
Result<bool> parse_flag(const std::string& text);

// convtime(): "90", "1m30s", "1h", "2w"; nullopt for "none" (no value).
// Error: invalid time value.
Result<std::optional<long>> parse_time(const std::string& text);

// StrictHostKeyChecking: yes/true -> "yes", no/off/false -> "no", "ask",
// "accept-new". Error: unsupported option "x".
Result<std::string> parse_strict_host_key_checking(const std::string& text);

// ProxyJump: "none" or a comma-separated list of [user@]host[:port] or
// ssh://[user@]host[:port]. Returns the value without comment and trailing
// blanks. Error: Invalid ProxyJump "x".
Result<std::string> parse_proxy_jump(std::string_view rest);

// Checks that `text` uses only the %-tokens in `allowed` (plus %%) and
// ${VAR}s that are set. Errors: `unknown token %Z in "..."`,
// `environment variable ${X} is not set`.
Result<void> check_tokens(const std::string& text, std::string_view allowed);

}  // namespace fleetk8s::sshconfig
