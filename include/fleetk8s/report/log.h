// Diagnostic logging (-v, -vv) to stderr. The only place that uses spdlog.
// Every line is masked (secrets.h); still, never pass secrets on purpose.
#pragma once

#include <string>

namespace fleetk8s::report {

// 0 = warnings only, 1 = info (-v), 2 = debug (-vv).
void set_verbosity(int level);

void log_debug(const std::string& message);
void log_info(const std::string& message);
void log_warn(const std::string& message);

// Prints "fleetk8s: MESSAGE" and a line break to stderr, secrets masked:
// the errors the command line front prints itself go through here.
void print_error(const std::string& message);

}  // namespace fleetk8s::report
