// The outcome of one remote command that ran to completion.
#pragma once

#include <string>

namespace fleetk8s {

struct CommandResult {
  std::string out;          // stdout, complete unless out_truncated
  std::string err;          // stderr, complete unless err_truncated
  int exit_status = -1;     // meaningful only when exit_signal is empty
  std::string exit_signal;  // "TERM", "KILL", ... when killed by a signal
  bool out_truncated = false;
  bool err_truncated = false;

  bool success() const { return exit_signal.empty() && exit_status == 0; }
  // "exit status 3" or "killed by signal KILL".
  std::string describe_exit() const {
    if (!exit_signal.empty()) return "killed by signal " + exit_signal;
    return "exit status " + std::to_string(exit_status);
  }
};

}  // namespace fleetk8s
