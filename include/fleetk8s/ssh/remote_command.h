// How a command is wrapped before it is sent to a host: privilege
// escalation with sudo and a remote time limit with coreutils `timeout`.
// Pure functions, unit-tested without a network.
#pragma once

#include <chrono>
#include <string>

#include "fleetk8s/core/command_result.h"
#include "fleetk8s/ssh/options.h"

namespace fleetk8s::ssh {

// The prompt sudo is told to print (-p) when it reads a password from
// stdin, so it can be recognised and removed from stderr.
inline constexpr const char* kSudoPrompt = "[fleetk8s-sudo-prompt]";

// The line (with a newline) the command prints on stderr first thing once
// sudo has let it run (password path only): until then, stdin is sudo's.
inline constexpr const char* kSudoStarted = "[fleetk8s-sudo-ok]";

// The command line and stdin to send for `command` under `options`.
// `login_user` is the SSH user: sudo is skipped when it already is the
// become user. The become password is never on the command line and never
// in stdin_data: it is sent only when sudo prints kSudoPrompt (see
// sudo_password), so NOPASSWD sudo or a root login never hands it to the
// command as input.
struct WrappedCommand {
  std::string command_line;
  std::string stdin_data;
  // Set when sudo may ask: the password to answer kSudoPrompt with, once.
  std::string sudo_password;
  bool uses_sudo_password = false;
  bool has_time_limit = false;
};
WrappedCommand wrap_command(const std::string& command, const ExecOptions& options,
                            const std::string& login_user);

// Exit status of coreutils `timeout` when the limit was hit.
inline constexpr int kTimeoutExit = 124;

// Removes the sudo prompt from stderr. Returns an error message when sudo
// itself refused (password required, wrong password, not in sudoers), else
// an empty string.
std::string clean_sudo_output(CommandResult& result, const WrappedCommand& wrapped);

}  // namespace fleetk8s::ssh
