#include "sudo_handshake.h"

#include "fleetk8s/ssh/remote_command.h"

namespace fleetk8s::ssh {

Task<Result<SudoOutcome>> sudo_handshake(Channel& channel, const std::string& password, const Deadline& deadline) {
  const std::string prompt = kSudoPrompt;
  const std::string started = std::string(kSudoStarted) + "\n";
  bool answered = false;
  auto& err = channel.err();
  auto spoke = [&] { return err.find(started) != std::string::npos || err.find(prompt) != std::string::npos; };
  for (;;) {
    if (auto p = co_await channel.pump(deadline, spoke); !p) co_return p.error();
    const std::size_t go = err.find(started);
    const std::size_t ask = err.find(prompt);
    if (go != std::string::npos && (ask == std::string::npos || go < ask)) {
      err.erase(0, go + started.size());  // sudo's lecture and the announcement
      co_return SudoOutcome::kStarted;
    }
    if (ask == std::string::npos) co_return SudoOutcome::kEnded;  // channel over, sudo said why
    if (answered) {
      channel.queue_eof();
      co_return Error(ErrorKind::kBecome, "sudo rejected the become password");
    }
    err.erase(ask, prompt.size());
    channel.queue_input(password);
    answered = true;
  }
}

}  // namespace fleetk8s::ssh
