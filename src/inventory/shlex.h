// Python's shlex.split(line, comments=True) in POSIX mode, which Ansible's
// INI parser uses for host lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"

namespace fleetk8s::inventory {

// Splits on whitespace honouring '...' (literal), "..." (\\ \" escapes)
// and backslash escapes; '#' outside quotes ends the line. Errors
// (kInvalidInput) are Python's: "No closing quotation", "No escaped
// character".
Result<std::vector<std::string>> shlex_split(std::string_view line);

}  // namespace fleetk8s::inventory
