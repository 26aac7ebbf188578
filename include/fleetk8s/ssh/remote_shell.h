// RemoteShell: many scripts through one long-lived /bin/sh on a host.
//
// Opening an SSH channel per task costs the host a new sshd session and a
// login shell every time; a playbook of 25 tasks on 200 hosts would spend
// most of its time there. A RemoteShell starts one `/bin/sh -s` per host (per
// become user) and feeds it scripts: each runs in a subshell with stdin from
// /dev/null, its stdout and stderr captured into a private temporary
// directory, and comes back framed with its exit status, so one task costs
// the host one fork. The temporary directory is removed when the shell ends.
//
// A script that never ends (past its timeout) leaves the shell unusable:
// run() then fails and every later run() fails too; open a new one.
//
// Watchdog: a script may run for a long time without output (a package
// install), but a shell that is idle while its answer never comes is lost
// work. After `watchdog` without a byte from the shell, run() asks the
// host, on a separate channel, whether the shell still runs a child; when
// it does not, twice in a row with nothing arriving in between, run()
// fails with a kCommandTimeout error that says where the request stood.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "fleetk8s/ssh/transport.h"

namespace fleetk8s::ssh {

class RemoteShell {
 public:
  // Starts the shell on `connection` (under sudo when `become` says so) and
  // waits until it is ready. A refused sudo is a kBecome error.
  // REQUIRES: `connection` outlives the shell (the watchdog's probes use it).
  static Task<Result<std::unique_ptr<RemoteShell>>> start(Connection& connection, BecomeOptions become,
                                                          std::chrono::milliseconds timeout,
                                                          std::chrono::milliseconds watchdog = std::chrono::seconds(30));

  // Runs `script` (POSIX sh) and returns its stdout, stderr and exit status.
  // `timeout` (0 = none) kills the script on the host with coreutils
  // `timeout`; the result is then a kCommandTimeout error. The script is
  // freed once sent (move it in: a run keeps one in flight per host).
  Task<Result<CommandResult>> run(std::string script, std::chrono::milliseconds timeout);

  // Ends the shell (its temporary directory goes with it).
  Task<Result<void>> close();

  bool usable() const { return usable_; }

 private:
  RemoteShell(std::unique_ptr<Stream> stream, Connection& connection, BecomeOptions become,
              std::chrono::milliseconds watchdog)
      : stream_(std::move(stream)), connection_(connection), become_(std::move(become)), host_(connection.name()),
        watchdog_(watchdog) {}

  // Waits for `marker` with the watchdog's checks; see the class comment.
  Task<Result<std::size_t>> await_answer(const std::string& marker, std::chrono::milliseconds timeout,
                                         std::size_t request_bytes);
  // Whether the shell (pid_) runs a child now, asked on a new channel as
  // the shell's user (hidepid may hide its processes from others).
  Task<Result<bool>> shell_busy();

  std::unique_ptr<Stream> stream_;
  Connection& connection_;
  BecomeOptions become_;
  std::string host_;
  std::chrono::milliseconds watchdog_;
  std::string pid_;  // the remote shell's process id, as it printed it
  bool usable_ = true;
};

// The text sent for one script (exposed for unit tests): `script` as one
// quoted word, its run in a subshell and the framed answer keyed by `token`.
std::string remote_shell_request(const std::string& script, const std::string& token,
                                 std::chrono::milliseconds timeout);

// Parses a complete framed answer for `token` at the start of `out`
// (exposed for unit tests). Returns the result and how many bytes it took.
Result<std::pair<CommandResult, std::size_t>> parse_remote_shell_answer(const std::string& out,
                                                                         const std::string& token);

}  // namespace fleetk8s::ssh
