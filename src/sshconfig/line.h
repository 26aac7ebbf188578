// Splitting one ssh_config line into its keyword and arguments, as
// OpenSSH's readconf.c does (strdelim for the keyword, argv_split for the
// rest).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"

namespace fleetk8s::sshconfig {

struct Line {
  std::string keyword;             // lower-cased
  std::vector<std::string> args;   // quotes and escapes removed, stops at a # word
  std::string rest;                // everything after the keyword and its = (ProxyCommand, ProxyJump)
};

// The line's keyword and arguments; nullopt for a blank or comment line.
// `Key value`, `Key=value` and `Key = value` are the same. Errors (the
// message only; the caller adds FILE:LINE): `no argument after keyword
// "user"`, `invalid quotes`.
Result<std::optional<Line>> split_line(std::string_view text);

}  // namespace fleetk8s::sshconfig
