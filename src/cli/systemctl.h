// The one place fleetk8s runs systemd's tools on this machine (for
// `fleetk8s schedule`): systemctl for the system manager or `--user`, and
// systemd-analyze to check calendar expressions.
//
// Test seam: with $FLEETK8S_SYSTEMCTL set, that program is run instead of
// systemctl and systemd counts as running (tests hand it a script that
// records its arguments).
#pragma once

#include <string>
#include <vector>

namespace fleetk8s::cli {

struct ProgramOutput {
  int status = -1;   // exit status; 127 when the program could not be started
  std::string text;  // stdout and stderr together
};

// Runs argv[0] (looked up in PATH) with stdin from /dev/null and waits for it.
ProgramOutput run_program(const std::vector<std::string>& argv);

class Systemctl {
 public:
  explicit Systemctl(bool user) : user_(user) {}

  // True when a systemd manager (system, or this user's) runs here.
  bool running() const;
  // Why not, for messages: "systemd is not running on this machine (no /run/systemd/system)".
  std::string why_not() const;
  // `systemctl [--user] ARGS...`.
  ProgramOutput run(const std::vector<std::string>& args) const;
  // The command as a user would type it: "systemctl --user daemon-reload".
  std::string shown(const std::vector<std::string>& args) const;

 private:
  bool user_;
};

}  // namespace fleetk8s::cli
