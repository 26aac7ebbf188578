// What happened on one host during a run, as the report shows it.
#pragma once

#include <optional>
#include <string>

#include "fleetk8s/core/result.h"
#include "fleetk8s/core/command_result.h"

namespace fleetk8s::report {

enum class HostStatus { kOk, kFailed, kUnreachable };

const char* to_string(HostStatus status);

struct HostOutcome {
  std::string host;
  HostStatus status = HostStatus::kOk;
  std::optional<CommandResult> result;  // set when the command ran
  std::optional<Error> error;                // set when it could not run or finish
  double seconds = 0;                        // connect + command, wall time
  int connect_retries = 0;                   // connection attempts after the first
};

}  // namespace fleetk8s::report
