// The SSH side of a host in a playbook run: one connection, one remote
// shell per become user, both kept for the whole command.
#include "run_state.h"

namespace fleetk8s::orchestrator {

namespace {
constexpr std::chrono::milliseconds kShellStartTimeout{60000};
}

HostSession::HostSession(ConnectPacer& pacer, ExecTarget target) : pacer_(pacer), target_(std::move(target)) {}

ssh::Task<Result<CommandResult>> HostSession::run(std::string script, bool become,
                                                  const std::string& become_user,
                                                  std::chrono::milliseconds timeout) {
  if (auto c = co_await connection(); !c) co_return c.error();
  const std::string key = become ? (become_user.empty() ? std::string("root") : become_user) : std::string();
  auto it = shells_.find(key);
  if (it == shells_.end() || !it->second->usable()) {
    if (it != shells_.end()) shells_.erase(it);
    ssh::BecomeOptions b;
    b.enabled = become;
    b.user = key.empty() ? "root" : key;
    b.password = target_.become.password;
    auto shell = co_await ssh::RemoteShell::start(*connection_, b, kShellStartTimeout);
    if (!shell) {
      if (is_unreachable(shell.error().kind())) unreachable_ = shell.error();
      co_return shell.error();
    }
    it = shells_.emplace(key, std::move(*shell)).first;
  }
  auto result = co_await it->second->run(std::move(script), timeout);
  if (!result && is_unreachable(result.error().kind())) unreachable_ = result.error();
  co_return result;
}

ssh::Task<Result<ssh::Connection*>> HostSession::connection() {
  if (unreachable_) co_return *unreachable_;
  if (!connection_) {
    auto paced = co_await pacer_.connect(target_.connect);
    connect_retries_ = paced.retries();
    if (!paced.connection) {
      unreachable_ = paced.connection.error();
      co_return paced.connection.error();
    }
    connection_ = std::move(*paced.connection);
  }
  co_return connection_.get();
}

ssh::Task<void> HostSession::reset() {
  for (auto& [key, shell] : shells_) (void)co_await shell->close();
  shells_.clear();
}

ssh::Task<void> HostSession::revive() {
  co_await close();
  unreachable_.reset();
}

ssh::Task<void> HostSession::close() {
  co_await reset();
  if (connection_) co_await connection_->close();
  connection_.reset();
}

}  // namespace fleetk8s::orchestrator
