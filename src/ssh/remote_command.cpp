#include "fleetk8s/ssh/remote_command.h"

#include "fleetk8s/ssh/transport.h"

namespace fleetk8s::ssh {

WrappedCommand wrap_command(const std::string& command, const ExecOptions& options,
                            const std::string& login_user) {
  WrappedCommand w;
  std::string line = command;
  if (options.timeout.count() > 0) {
    // Remote side of the time limit: libssh2 1.10 cannot signal a remote
    // process, so the process limits itself. KILL follows TERM after 2 s.
    const auto ms = options.timeout.count();
    const std::string secs = std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100);
    line = "timeout -k 2 " + secs + " sh -c " + shell_quote(line);
    w.has_time_limit = true;
  }
  const auto& b = options.become;
  if (b.enabled && b.user != login_user) {
    const std::string user = " -u " + shell_quote(b.user);
    if (b.password) {
      // -S reads the password from stdin, but only if sudo asks (NOPASSWD
      // rules and a root login never do): the command announces itself on
      // stderr before it runs, so the controller knows whether the prompt
      // or the command came first. The command travels as a positional
      // argument, not as part of the announcing script. -k: cached
      // credentials would make the prompt depend on timing.
      const std::string announce = "printf '%s\\n' " + shell_quote(kSudoStarted) +
                                   " >&2 && exec sh -c \"$1\"";
      line = "sudo -k -S -p " + shell_quote(kSudoPrompt) + user + " -- sh -c " + shell_quote(announce) + " sh " +
             shell_quote(line);
      w.sudo_password = *b.password + "\n";
      w.uses_sudo_password = true;
    } else {
      line = "sudo -n" + user + " -- sh -c " + shell_quote(line);
    }
  }
  w.command_line = std::move(line);
  w.stdin_data += options.stdin_data;
  return w;
}

std::string clean_sudo_output(CommandResult& result, const WrappedCommand& wrapped) {
  auto& err = result.err;
  if (wrapped.uses_sudo_password) {
    const std::string prompt = kSudoPrompt;
    bool prompted_again = false;
    size_t first = err.find(prompt);
    if (first != std::string::npos) {
      err.erase(first, prompt.size());
      prompted_again = err.find(prompt) != std::string::npos;
    }
    if (prompted_again || err.find("incorrect password attempt") != std::string::npos) {
      return "sudo rejected the become password";
    }
  }
  const bool sudo_failed = result.exit_status == 1 && err.rfind("sudo: ", 0) == 0;
  if (sudo_failed && err.find("a password is required") != std::string::npos) {
    return "sudo needs a password: set ansible_become_password or use --ask-become-pass";
  }
  if (sudo_failed && err.find("not in the sudoers file") != std::string::npos) {
    return "the user may not use sudo on this host (not in the sudoers file)";
  }
  if (result.exit_status == 127 && err.find("sudo: command not found") != std::string::npos) {
    return "sudo is not installed on this host";
  }
  return "";
}

}  // namespace fleetk8s::ssh
