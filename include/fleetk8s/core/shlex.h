// Python's shlex.split in POSIX mode: the word splitting Ansible uses for
// inventory host lines (comments=True) and for the command module's
// free-form text (comments=False).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fleetk8s/core/result.h"

namespace fleetk8s {

enum class ShlexComments { kKeep, kStrip };  // kStrip: '#' outside quotes starts a comment

// Splits on whitespace honouring '...' (literal), "..." (\\ \" escapes)
// and backslash escapes. With kStrip, '#' outside quotes drops the rest of
// its line. Nothing is expanded: '$', '*', ';', '|' are ordinary characters.
// Errors (kInvalidInput) are Python's: "No closing quotation", "No escaped
// character".
Result<std::vector<std::string>> shlex_split(std::string_view line, ShlexComments comments);

}  // namespace fleetk8s
