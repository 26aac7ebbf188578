// Diagnostic logging (-v, -vv) to stderr. The only place that uses spdlog.
// Never pass secrets: callers mask them first (see core/secret.h).
#pragma once

#include <string>

namespace fleetk8s::report {

// 0 = warnings only, 1 = info (-v), 2 = debug (-vv).
void set_verbosity(int level);

void log_debug(const std::string& message);
void log_info(const std::string& message);
void log_warn(const std::string& message);

}  // namespace fleetk8s::report
