// The conversation with `sudo -S` before a command runs (password path of
// wrap_command): sudo either prints kSudoPrompt, and gets the password
// once, or lets the command start, which announces itself with
// kSudoStarted on stderr. Only after that does the caller's stdin flow.
// Private to src/ssh.
#pragma once

#include <string>

#include "channel.h"

namespace fleetk8s::ssh {

// How the conversation ended.
enum class SudoOutcome {
  kStarted,  // the command runs; its announcement (and sudo's lecture) removed from err()
  kEnded,    // the channel ended before the command started: sudo refused (see err())
};

// REQUIRES: `channel` started a wrap_command() line with uses_sudo_password
// and nothing was queued on it yet. Sends `password` (with its newline) only
// in answer to a prompt, and at most once: a second prompt means a wrong
// password (a kBecome error; stdin is closed so sudo gives up after one PAM
// failure, not three). Gives up at `deadline` (kTimeout).
Task<Result<SudoOutcome>> sudo_handshake(Channel& channel, const std::string& password, const Deadline& deadline);

}  // namespace fleetk8s::ssh
